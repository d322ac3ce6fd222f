import Foundation
import SlipwayCore

extension StoreKind {
    /// Handles on one new store, one per name in `actors`, each acting as someone else: on SQLite
    /// the name it is opened with; on PostgreSQL, where the actor is the database login, a new
    /// login per name (`alice_<database>`, as logins are the cluster's) with every right on the store.
    public func open(in folder: TemporaryWorkspace, actors: [String]) async throws -> [any EventStore] {
        switch self {
        case .sqlite:
            return try actors.map { name in try SQLiteStore(path: folder.statePath, actor: name) }
        case .postgres:
            let cluster = try PostgresCluster.shared()
            let url = try await cluster.createDatabase()
            let database = PostgresCluster.databaseName(of: url)
            // Opened once as the superuser, which creates the schema the logins are granted.
            _ = try await PostgresStore.open(StoreURL(url, name: "test"))
            var stores: [any EventStore] = []
            for name in actors {
                let login = "\(name)_\(database.suffix(8))"
                try await cluster.execute("CREATE ROLE \(login) LOGIN")
                for grant in [
                    "GRANT USAGE ON SCHEMA slipway TO \(login)", "GRANT ALL ON ALL TABLES IN SCHEMA slipway TO \(login)",
                    "GRANT ALL ON ALL SEQUENCES IN SCHEMA slipway TO \(login)",
                ] {
                    try await cluster.execute(grant, database: database)
                }
                let loginURL = url.replacingOccurrences(of: "postgres://postgres@", with: "postgres://\(login)@")
                stores.append(try await PostgresStore.open(StoreURL(loginURL, name: "test")))
            }
            return stores
        }
    }
}
