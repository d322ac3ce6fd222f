import Foundation
import SlipwayCore
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

    /// A full read after the first tells which deployments' states it found changed, added or gone.
    @Test func theDifferencesOfTwoProjectionsAreTheirChangedAddedAndRemovedDeployments() {
        func state(_ component: String, _ environment: String, version: String?) -> (Projection.Key, DeploymentState) {
            var state = DeploymentState(component: component, environment: environment)
            state.liveVersion = version
            return (Projection.Key(component: component, environment: environment), state)
        }
        let old = Projection(states: Dictionary(uniqueKeysWithValues: [
            state("accounts", "staging", version: "v1"), state("accounts", "production", version: "v1"),
            state("billing", "staging", version: nil),
        ]))
        let new = Projection(states: Dictionary(uniqueKeysWithValues: [
            state("accounts", "staging", version: "v1"), state("accounts", "production", version: "v2"),
            state("search", "staging", version: "v3"),
        ]))
        #expect(FleetFollower.differences(between: old, and: new) == [
            Projection.Key(component: "accounts", environment: "production"), Projection.Key(component: "billing", environment: "staging"),
            Projection.Key(component: "search", environment: "staging"),
        ])
        #expect(FleetFollower.differences(between: new, and: new).isEmpty)
    }
}
