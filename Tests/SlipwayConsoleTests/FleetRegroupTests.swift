import Foundation
@testable import SlipwayConsole
@testable import SlipwayCore
import SlipwayTestSupport
import Testing

/// The fleet's lines are grouped again only where rows changed: the same lines as grouping
/// every row afresh.
@Suite struct FleetRegroupTests {
    static let environments = ["development", "staging", "production"]

    /// Components in workspace order, an app and a service sharing a name among them.
    static func rows() -> [FleetRow] {
        [("web", ComponentKind.app), ("web", .service), ("accounts", .service), ("billing", .service)].flatMap { name, kind in
            environments.map {
                FleetRow(component: name, kind: kind, environment: $0, technology: "python", target: "local")
            }
        }
    }

    @Test func regroupingTheRowsThatChangedEqualsGroupingAllAfresh() throws {
        var generator = SeededGenerator(seed: 4)
        var rows = Self.rows()
        var lines = FleetComponent.group(rows)
        for step in 0..<300 {
            var next = rows
            for _ in 0..<Int.random(in: 0...3, using: &generator) {
                let index = Int.random(in: 0..<next.count, using: &generator)
                next[index].liveVersion = "v\(Int.random(in: 1...5, using: &generator))"
                next[index].health = HealthState.allCases.randomElement(using: &generator)!
                next[index].runningRun = Bool.random(using: &generator) ? "run-\(step)" : nil
            }
            let regrouped = try #require(FleetComponent.regroup(lines, from: rows, to: next), "step \(step)")
            #expect(regrouped == FleetComponent.group(next), "step \(step)")
            rows = next
            lines = regrouped
        }
    }

    @Test func rowsOfAnotherShapeAreNotRegrouped() {
        let rows = Self.rows()
        let lines = FleetComponent.group(rows)
        #expect(FleetComponent.regroup(lines, from: rows, to: Array(rows.dropLast())) == nil)
        var moved = rows
        moved[0].environment = "qa"
        #expect(FleetComponent.regroup(lines, from: rows, to: moved) == nil)
    }

    /// A line takes its technology and target from its component's first row, so a new one
    /// (the workspace's config changed) groups the rows afresh: in place, the line and the
    /// table's column widths would keep the old text.
    @Test func aNewTechnologyOrTargetIsGroupedAfresh() {
        let rows = Self.rows()
        let lines = FleetComponent.group(rows)
        var retold = rows
        retold[6].technology = "typescript"
        #expect(FleetComponent.regroup(lines, from: rows, to: retold) == nil)
        var moved = rows
        moved[7].target = "cloudflare-workers"
        #expect(FleetComponent.regroup(lines, from: rows, to: moved) == nil)
        let previous = ConsoleSnapshot(rows: rows)
        let everywhere = rows.map { row in
            var row = row
            if row.component == "accounts" { row.target = "aws-lambda-container" }
            return row
        }
        let regrouped = ConsoleSnapshot(rows: everywhere, regrouping: previous)
        #expect(regrouped == ConsoleSnapshot(rows: everywhere))
        #expect(regrouped.textLengths.target == "aws-lambda-container".count)
    }

    @Test func aSnapshotCountsTheLongestTextsAndTheReleasesWaiting() {
        var rows = Self.rows()
        rows[0].ready = DeploymentState.ReadyRelease(version: "v2", commit: nil, color: "green", since: Date(timeIntervalSince1970: 0))
        rows[5].ready = DeploymentState.ReadyRelease(version: "v3", commit: nil, color: "blue", since: Date(timeIntervalSince1970: 0))
        let snapshot = ConsoleSnapshot(rows: rows)
        #expect(snapshot.textLengths.name == "accounts".count)
        #expect(snapshot.textLengths.technology == "python".count)
        #expect(snapshot.textLengths.target == "local".count)
        #expect(snapshot.waitingForSwitch == 2)
    }

    @Test func aSnapshotGroupsFromThePreviousOneAsItWouldAfresh() {
        let previous = ConsoleSnapshot(rows: Self.rows())
        var rows = Self.rows()
        rows[4].liveVersion = "v2"
        let regrouped = ConsoleSnapshot(rows: rows, regrouping: previous)
        let afresh = ConsoleSnapshot(rows: rows)
        #expect(regrouped == afresh)
        #expect(regrouped.environments == Self.environments)
    }
}
