@testable import SlipwayConsole
import SlipwayCore
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
