import Foundation
import SlipwayCore
import SlipwayTestSupport
import Testing

/// The console makes the fleet's rows again only where new events (and routes, probes and the
/// time) can change them: the result is the same as every row made afresh.
@Suite struct FleetRowUpdateTests {
    static let start = Date(timeIntervalSince1970: 1_800_000_000)
    static let names = ["accounts", "billing", "search", "web"]
    static let kinds: [EventKind] = [
        .runStarted, .runFinished, .deploySucceeded, .healthChecked, .trafficSwitched, .releaseReady, .slotStarted, .slotStopped,
        .stageStarted,
    ]

    /// The loaded workspace: a value, so the folder may go once it is read.
    private func workspace() async throws -> Workspace {
        let folder = try TemporaryWorkspace()
        for name in Self.names { try folder.makeFolder("services/\(name)") }
        return try await Engine.open(workspace: folder.root, state: folder.statePath, output: { _ in }).workspace
    }

    private static func randomEvent(
        environments: [String], using generator: inout SeededGenerator
    ) -> (kind: EventKind, component: String, environment: String, runID: String, details: EventDetails) {
        // A component or environment the workspace does not have, now and then, as an old event may name.
        let component = (names + ["retired"]).randomElement(using: &generator)!
        let environment = (environments + ["gone"]).randomElement(using: &generator)!
        let version = "v\(Int.random(in: 1...4, using: &generator))"
        let color = ["blue", "green"].randomElement(using: &generator)!
        let details = EventDetails(
            runKind: [RunKind.deploy, .rollback, .test].randomElement(using: &generator)!, version: version, commit: "c-\(version)",
            color: color, outcome: ["succeeded", "failed"].randomElement(using: &generator)!,
            healthy: Bool.random(using: &generator))
        return (kinds.randomElement(using: &generator)!, component, environment, "run-\(Int.random(in: 1...3, using: &generator))",
                details)
    }

    @Test func rowsMadeAgainWhereEventsChangedThemEqualAllRowsMadeAfresh() async throws {
        let workspace = try await workspace()
        let environments = workspace.config.environmentNames
        var generator = SeededGenerator(seed: 15)
        var projection = Projection()
        var routes: [RouteRecord] = []
        var rows = FleetRow.rows(workspace: workspace, projection: projection)
        for step in 0..<300 {
            var changed = Set<Projection.Key>()
            for index in 0..<Int.random(in: 0...4, using: &generator) {
                let id = Int64(step * 10 + index)
                let event = Self.randomEvent(environments: environments, using: &generator)
                projection.apply(
                    id: id, time: Self.start + Double(step), kind: event.kind, component: event.component,
                    environment: event.environment, runID: event.runID, details: event.details)
                changed.insert(Projection.Key(component: event.component, environment: event.environment))
            }
            // Routes come and go, probes age, the agent stops and starts: none of it is an event.
            let previousRoutes = routes
            routes = Self.names.flatMap { name in environments.map { (name, $0) } }
                .filter { _ in Int.random(in: 0..<4, using: &generator) == 0 }
                .map { RouteRecord(component: $0.0, environment: $0.1, host: "127.0.0.1", port: 8080, liveColor: "blue", greenWeight: 0) }
            let probes = routes.filter { _ in Bool.random(using: &generator) }.map {
                LiveProbe(component: $0.component, environment: $0.environment,
                          checkedAt: Self.start + Double(step - Int.random(in: 0...20, using: &generator)), healthy: Bool.random(using: &generator))
            }
            let agentIsAlive = Int.random(in: 0..<5, using: &generator) > 0
            let now = Self.start + Double(step)
            let updated = FleetRow.rows(
                updating: rows, changed: changed, previousRoutes: previousRoutes, workspace: workspace, projection: projection,
                routes: routes, probes: probes, agentIsAlive: agentIsAlive, now: now)
            let afresh = FleetRow.rows(
                workspace: workspace, projection: projection, routes: routes, probes: probes, agentIsAlive: agentIsAlive, now: now)
            #expect(updated == afresh, "step \(step)")
            guard updated == afresh else { return }
            rows = updated
        }
    }

    /// What shows it is not a full rebuild: a row neither changed nor routed is taken as it was.
    @Test func aRowNoEventChangedIsTakenFromThePreviousRows() async throws {
        let workspace = try await workspace()
        var projection = Projection()
        let before = FleetRow.rows(workspace: workspace, projection: projection)
        var marked = before
        let billing = try #require(marked.firstIndex { $0.component == "billing" })
        marked[billing].lastOutcome = "kept from before"
        projection.apply(
            id: 1, time: Self.start, kind: .deploySucceeded, component: "accounts", environment: marked[0].environment, runID: "r1",
            details: EventDetails(runKind: .deploy, version: "v1", color: "blue"))
        let updated = FleetRow.rows(
            updating: marked, changed: [Projection.Key(component: "accounts", environment: marked[0].environment)], previousRoutes: [],
            workspace: workspace, projection: projection)
        #expect(updated[0].liveVersion == "v1")
        #expect(updated[billing].lastOutcome == "kept from before")
    }
}
