import Foundation
import GRDB
@testable import SlipwayCore
import SlipwayTestSupport
import Testing

/// The console's heartbeat reads the stored projection again every few seconds: a read against
/// the last one decodes only the states whose stored text changed, and still gives what a full
/// read gives, whoever changed the text (an append, or another process writing the table).
@Suite(.postgresCluster, .timeLimit(.minutes(5)))
struct StoredProjectionReadTests {
    static func key(_ component: String, _ environment: String) -> Projection.Key {
        Projection.Key(component: component, environment: environment)
    }

    /// A store of `kind`, and a way to run SQL on its projection's table (named by `{table}`)
    /// behind the store object, as a rebuild or restore by another process would.
    static func open(_ kind: StoreKind, in workspace: TemporaryWorkspace) async throws -> (
        store: any EventStore, behind: @Sendable (String) async throws -> Void
    ) {
        switch kind {
        case .sqlite:
            let path = workspace.statePath.path
            return (try SQLiteStore(path: workspace.statePath, actor: "tester"), { sql in
                try await DatabaseQueue(path: path).write { db in
                    try db.execute(sql: sql.replacingOccurrences(of: "{table}", with: "deployment_state"))
                }
            })
        case .postgres:
            let cluster = try PostgresCluster.shared()
            let url = try await cluster.createDatabase()
            return (try await PostgresStore.open(try StoreURL(url, name: "test")), { sql in
                try await cluster.execute(
                    sql.replacingOccurrences(of: "{table}", with: "slipway.deployment_state"), database: PostgresCluster.databaseName(of: url))
            })
        }
    }

    @Test(arguments: StoreKind.allCases)
    func aReadAgainDecodesOnlyWhatChangedAndGivesTheFullRead(kind: StoreKind) async throws {
        let workspace = try TemporaryWorkspace()
        let (store, behind) = try await Self.open(kind, in: workspace)
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
        try await behind("""
            UPDATE {table} SET state = replace(state, '"liveVersion":"v1"', '"liveVersion":"v9"') WHERE component = 'billing'
            """)
        try await behind("DELETE FROM {table} WHERE component = 'search'")
        let changed = try store.storedProjection(since: unchanged)
        #expect(changed.projection == (try store.projection()))
        #expect(changed.projection.states[Self.key("billing", "production")]?.liveVersion == "v9")
        #expect(changed.projection.states[Self.key("search", "staging")] == nil)
        #expect(changed.reread == [
            Self.key("accounts", "staging"), Self.key("admin", "staging"), Self.key("billing", "production"),
            Self.key("search", "staging"),
        ], "changed, added and removed")
        #expect(store.statesDecoded == 6, "the changed and the added state decoded, not the others")
        if let shared = store as? PostgresStore {
            // The server compares digests: of a state's text, only the changed ones cross the wire.
            #expect(shared.statesFetched == 6, "3 on the first read, none unchanged, then the changed and the added")
        }
    }

    /// A stored state that cannot be decoded fails every read of the projection, so the one
    /// command that repairs it must not need to read it.
    @Test(arguments: StoreKind.allCases)
    func aRebuildReplacesAStoredStateThatCannotBeRead(kind: StoreKind) async throws {
        let workspace = try TemporaryWorkspace()
        let (store, behind) = try await Self.open(kind, in: workspace)
        try store.append([
            NewEvent(.deploySucceeded, component: "accounts", environment: "staging", details: EventDetails(version: "v1", color: "blue")),
            NewEvent(.deploySucceeded, component: "billing", environment: "staging", details: EventDetails(version: "v2", color: "green")),
        ])
        let good = try store.projection()
        try await behind("UPDATE {table} SET state = 'not json' WHERE component = 'billing'")
        // The damaged row fails a read, naming the deployment and the repair.
        #expect {
            try store.projection()
        } throws: { error in
            (error as? SlipwayError)?.message
                == "the store's recorded state of billing in staging cannot be read (not JSON); 'slipway store rebuild' folds it again from the events"
        }

        let rebuild = try await store.eventLog.rebuildProjection(reporting: nil)
        #expect(rebuild.storedDiffered, "the damaged projection counts as differing")
        #expect(rebuild.projection == good)
        #expect(try store.projection() == good)
    }
}
