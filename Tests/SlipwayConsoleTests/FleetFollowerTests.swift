import Foundation
import SlipwayCore
import Testing
@testable import SlipwayConsole

/// The console folds new events into its own copy of the projection; it must match the store's.
@Suite struct FleetFollowerTests {
    @Test func foldingNewEventsGivesTheStoresProjection() throws {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("follower-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: folder) }
        let store = try EventStore(path: folder.appendingPathComponent("state.db"), actor: "ana")
        _ = try store.append(NewEvent(.deploySucceeded, component: "accounts", environment: "staging",
                                      details: EventDetails(runKind: .deploy, version: "v1", color: "blue")))
        var follower = FleetFollower(eventLimit: 2)
        try follower.catchUp(store, full: true)
        #expect(follower.projection == (try store.projection()))
        _ = try store.append([
            NewEvent(.deploySucceeded, component: "accounts", environment: "staging",
                     details: EventDetails(runKind: .deploy, version: "v2", color: "green")),
            NewEvent(.healthChecked, component: "accounts", environment: "staging", details: EventDetails(healthy: false)),
            NewEvent(.trafficSwitched, component: "accounts", environment: "production", details: EventDetails(version: "v1", color: "blue")),
        ])
        try follower.catchUp(store, full: false)
        #expect(follower.projection == (try store.projection()))
        #expect(follower.projection.states[.init(component: "accounts", environment: "staging")]?.liveVersion == "v2")
        #expect(follower.events.map(\.kind) == ["traffic.switched", "health.checked"])
        #expect(follower.lastEventID == (try store.latestEventID()))
    }
}
