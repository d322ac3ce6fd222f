import Foundation
import GRDB
import SlipwayCore
import SlipwayTestSupport
import Testing
@testable import SlipwayConsole

/// The console folds new events into its own copy of the projection; it must match the store's.
@Suite struct FleetFollowerTests {
    @Test func foldingNewEventsGivesTheStoresProjection() async throws {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("follower-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder.appendingPathComponent("apps"), withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: folder) }
        let engine = try await Engine.open(
            workspace: folder, state: folder.appendingPathComponent(".slipway/state.db"), output: { _ in })
        let store = engine.store
        _ = try store.append(NewEvent(.deploySucceeded, component: "accounts", environment: "staging",
                                      details: EventDetails(runKind: .deploy, version: "v1", color: "blue")))
        var follower = FleetFollower(eventLimit: 2)
        var reads = store.projectionReads
        try follower.catchUp(engine, full: true)
        #expect(store.projectionReads - reads == 1, "a full read reads the stored projection once")
        #expect(follower.projection == (try store.projection()))
        #expect(follower.changed == nil, "after a full read every row may have changed")
        _ = try store.append([
            NewEvent(.deploySucceeded, component: "accounts", environment: "staging",
                     details: EventDetails(runKind: .deploy, version: "v2", color: "green")),
            NewEvent(.healthChecked, component: "accounts", environment: "staging", details: EventDetails(healthy: false)),
            NewEvent(.trafficSwitched, component: "accounts", environment: "production", details: EventDetails(version: "v1", color: "blue")),
        ])
        reads = store.projectionReads
        try follower.catchUp(engine, full: false)
        #expect(store.projectionReads == reads, "new events are folded into the follower's own copy")
        #expect(follower.projection == (try store.projection()))
        #expect(follower.projection.states[.init(component: "accounts", environment: "staging")]?.liveVersion == "v2")
        #expect(follower.events.map(\.kind) == ["traffic.switched", "health.checked"])
        #expect(follower.lastEventID == (try store.latestEventID()))
        #expect(follower.changed == [
            Projection.Key(component: "accounts", environment: "staging"), Projection.Key(component: "accounts", environment: "production"),
        ], "the deployments the new events went into, for the snapshot to make again")

        let decoded = store.statesDecoded
        try follower.catchUp(engine, full: true)
        #expect(follower.changed == [], "a heartbeat's full read that finds the folded copy makes no row again")
        #expect(store.statesDecoded - decoded == 2, "it decodes only the two states whose stored text changed")
        #expect(follower.projection == (try store.projection()))
    }

    /// A full read after the first tells which deployments' states it found changed, added or
    /// gone, by an event folded meanwhile or by another process writing the stored projection.
    @Test func aFullReadTellsTheDeploymentsChangedAddedAndRemovedBehindIt() async throws {
        let folder = try TemporaryWorkspace()
        try folder.makeFolder("services/accounts")
        let engine = try await Engine.open(workspace: folder.root, state: folder.statePath, output: { _ in })
        let store = engine.store
        func key(_ component: String, _ environment: String) -> Projection.Key {
            Projection.Key(component: component, environment: environment)
        }
        try store.append([
            NewEvent(.deploySucceeded, component: "accounts", environment: "staging", details: EventDetails(version: "v1", color: "blue")),
            NewEvent(.deploySucceeded, component: "billing", environment: "staging", details: EventDetails(version: "v1", color: "blue")),
            NewEvent(.deploySucceeded, component: "search", environment: "staging", details: EventDetails(version: "v1", color: "blue")),
            NewEvent(.deploySucceeded, component: "admin", environment: "staging", details: EventDetails(version: "v1", color: "blue")),
        ])
        var follower = FleetFollower(eventLimit: 10)
        try follower.catchUp(engine, full: true)
        try store.append(NewEvent(.deploySucceeded, component: "accounts", environment: "production",
                                  details: EventDetails(version: "v2", color: "green")))
        try follower.catchUp(engine, full: false)
        try await DatabaseQueue(path: folder.statePath.path).write { db in
            try db.execute(sql: """
                UPDATE deployment_state SET state = replace(state, '"liveVersion":"v1"', '"liveVersion":"v9"')
                WHERE component = 'billing'
                """)
            try db.execute(sql: "DELETE FROM deployment_state WHERE component = 'search'")
        }
        try store.append(NewEvent(.deploySucceeded, component: "web", environment: "staging", details: EventDetails(version: "v3", color: "blue")))
        try follower.catchUp(engine, full: true)
        #expect(follower.projection == (try store.projection()))
        #expect(follower.changed == [key("billing", "staging"), key("search", "staging"), key("web", "staging")],
                "rewritten, removed and added; not accounts in production, folded already, nor admin, untouched")
    }
}
