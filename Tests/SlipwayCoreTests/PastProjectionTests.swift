import Foundation
import GRDB
import SlipwayCore
import SlipwayTestSupport
import Testing

/// The projection of a past event is a checkpoint plus a short fold, and equals the fold of
/// every event up to it, whether the checkpoints were written by appends or by a rebuild.
@Suite struct PastProjectionTests {
    /// 48 events over two components, some in batches that straddle a checkpoint.
    func fill(_ store: EventStore) throws -> [Event] {
        var events: [Event] = []
        for index in 0..<12 {
            let component = index % 2 == 0 ? "accounts" : "billing"
            let run = "r\(index)"
            let version = "v\(index)"
            events += try store.append([
                NewEvent(.runStarted, component: component, environment: "staging", runID: run,
                         details: EventDetails(runKind: .deploy, version: version)),
                NewEvent(.deploySucceeded, component: component, environment: "staging", runID: run,
                         details: EventDetails(runKind: .deploy, version: version, commit: "c\(index)", color: "blue")),
                NewEvent(.runFinished, component: component, environment: "staging", runID: run,
                         details: EventDetails(runKind: .deploy, version: version, outcome: "succeeded")),
            ])
            events.append(try store.append(NewEvent(.healthChecked, component: component, environment: "staging",
                                                    details: EventDetails(version: version, healthy: index % 3 != 0))))
        }
        return events
    }

    func checkpoints(_ workspace: TemporaryWorkspace) throws -> [Int64] {
        try DatabaseQueue(path: workspace.statePath.path).read { db in
            try Int64.fetchAll(db, sql: "SELECT DISTINCT event_id FROM projection_checkpoints ORDER BY event_id")
        }
    }

    @Test func everyPastEventFoldsToTheSameProjectionWithAndWithoutCheckpoints() throws {
        let workspace = try TemporaryWorkspace()
        let store = try SQLiteStore(path: workspace.statePath, checkpointInterval: 10)
        let events = try fill(store)
        // Each run's three events go in one append, its health check in another: a checkpoint is
        // taken at the last event of the append that reaches 10, 20, 30, 40.
        #expect(try checkpoints(workspace) == [11, 20, 31, 40])
        var expected = Projection()
        for event in events {
            expected.apply(event)
            #expect(try store.projection(through: event.id) == expected, "through event \(event.id)")
        }
        try store.rebuildProjection()
        #expect(try checkpoints(workspace) == [10, 20, 30, 40])
        var again = Projection()
        for event in events {
            again.apply(event)
            #expect(try store.projection(through: event.id) == again, "through event \(event.id) after rebuild")
        }
        #expect(try store.projection(through: events.last?.id ?? 0) == store.projection())
    }
}
