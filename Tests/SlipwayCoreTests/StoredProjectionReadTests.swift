import Foundation
import GRDB
@testable import SlipwayCore
import SlipwayTestSupport
import Testing

/// The console's heartbeat reads the stored projection again every few seconds: a read against
/// the last one decodes only the states whose stored text changed, and still gives what a full
/// read gives, whoever changed the text (an append, or another process writing the table).
@Suite struct StoredProjectionReadTests {
    static func key(_ component: String, _ environment: String) -> Projection.Key {
        Projection.Key(component: component, environment: environment)
    }

    @Test func aReadAgainDecodesOnlyWhatChangedAndGivesTheFullRead() throws {
        let workspace = try TemporaryWorkspace()
        let store = try SQLiteStore(path: workspace.statePath, actor: "tester")
        try store.append([
            NewEvent(.deploySucceeded, component: "accounts", environment: "staging", details: EventDetails(version: "v1", color: "blue")),
            NewEvent(.deploySucceeded, component: "billing", environment: "production", details: EventDetails(version: "v1", color: "green")),
            NewEvent(.deploySucceeded, component: "search", environment: "staging", details: EventDetails(version: "v1", color: "blue")),
        ])
        let first = try store.storedProjection(since: nil)
        #expect(first.projection == (try store.projection()))
        #expect(first.reread == nil, "with nothing to compare, nothing is said of what changed")
        #expect(store.statesDecoded == 3)

        let unchanged = try store.storedProjection(since: first)
        #expect(unchanged.projection == (try store.projection()))
        #expect(unchanged.reread == [])
        #expect(store.statesDecoded == 3, "no state decoded again when no text changed")

        try store.append([
            NewEvent(.healthChecked, component: "accounts", environment: "staging", details: EventDetails(healthy: false)),
            NewEvent(.deploySucceeded, component: "admin", environment: "staging", details: EventDetails(version: "v2", color: "blue")),
        ])
        // Behind the store object, as a rebuild or restore by another process would.
        try DatabaseQueue(path: workspace.statePath.path).write { db in
            try db.execute(sql: """
                UPDATE deployment_state SET state = replace(state, '"liveVersion":"v1"', '"liveVersion":"v9"')
                WHERE component = 'billing'
                """)
            try db.execute(sql: "DELETE FROM deployment_state WHERE component = 'search'")
        }
        let changed = try store.storedProjection(since: unchanged)
        #expect(changed.projection == (try store.projection()))
        #expect(changed.projection.states[Self.key("billing", "production")]?.liveVersion == "v9")
        #expect(changed.projection.states[Self.key("search", "staging")] == nil)
        #expect(changed.reread == [
            Self.key("accounts", "staging"), Self.key("admin", "staging"), Self.key("billing", "production"),
            Self.key("search", "staging"),
        ], "changed, added and removed")
        #expect(store.statesDecoded == 6, "the changed and the added state decoded, not the others")
    }
}
