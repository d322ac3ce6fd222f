import Foundation
@testable import SlipwayCore
import SlipwayTestSupport
import Testing

/// The engine store's event and projection reads on both stores.
@Suite(.postgresCluster, .timeLimit(.minutes(5)))
struct EventStoreMatrixTests {
    static func deploy(_ component: String, _ version: String, run: String) -> [NewEvent] {
        [
            NewEvent(.runStarted, component: component, environment: "staging", runID: run, details: EventDetails(runKind: .deploy, version: version)),
            NewEvent(.deploySucceeded, component: component, environment: "staging", runID: run, details: EventDetails(version: version, color: "blue")),
            NewEvent(.runFinished, component: component, environment: "staging", runID: run,
                     details: EventDetails(runKind: .deploy, version: version, outcome: "succeeded")),
        ]
    }

    @Test(arguments: StoreKind.allCases)
    func appendedEventsReadBackInOrderAndFoldIntoTheProjection(kind: StoreKind) async throws {
        let folder = try TemporaryWorkspace()
        let (store, other) = try await kind.open(in: folder)
        try store.append(Self.deploy("api", "1.0.0", run: "r1"))
        try store.append(Self.deploy("web", "2.0.0", run: "r2"))
        let events = try other.events(after: 0, limit: 100, component: nil)
        #expect(events.map(\.id) == Array(1...6))
        #expect(try other.latestEventID() == 6)
        #expect(try other.events(component: "web").count == 3)
        let projection = try other.projection()
        #expect(projection.states[.init(component: "api", environment: "staging")]?.liveVersion == "1.0.0")
        #expect(projection.states[.init(component: "web", environment: "staging")]?.liveVersion == "2.0.0")
    }
}
