import Foundation
import SlipwayCore
import Testing

/// The two stores the engine runs on: every store behaviour test runs on both (a matrix), the
/// PostgreSQL one in a database of its own on the suite's throwaway cluster (`.postgresCluster`).
public enum StoreKind: String, CaseIterable, Sendable, CustomTestStringConvertible {
    case sqlite, postgres

    public var testDescription: String { rawValue }

    /// A new, empty store of this kind, and a second handle on it as another process would open
    /// it. `folder` holds the SQLite file; the PostgreSQL database is dropped with the cluster.
    public func open(
        in folder: TemporaryWorkspace, actor: String = "tester", masker: SecretMasker = SecretMasker(values: [])
    ) async throws -> (store: any EventStore, other: any EventStore) {
        switch self {
        case .sqlite:
            return (
                try SQLiteStore(path: folder.statePath, actor: actor, masker: masker),
                try SQLiteStore(path: folder.statePath, actor: "other"))
        case .postgres:
            let url = try StoreURL(try await PostgresCluster.shared().createDatabase(), name: "test")
            return (try await PostgresStore.open(url, masker: masker), try await PostgresStore.open(url))
        }
    }
}
