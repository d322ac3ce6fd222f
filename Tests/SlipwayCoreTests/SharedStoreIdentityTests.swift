import Foundation
import PostgresNIO
@testable import SlipwayCore
import SlipwayTestSupport
import Testing

/// On the shared store the actor is the database login, which the server vouches for:
/// `SLIPWAY_ACTOR` names no one there, an insert cannot pose as another login, and the login's
/// database roles are what `db:NAME` in `roles:` names.
@Suite(.postgresCluster, .timeLimit(.minutes(5)))
struct SharedStoreIdentityTests {
    /// A new database with the store's schema, a role `deployers_X` that may use it, and a login
    /// `alice_X` in that role; answers the login's connection string and the two names.
    static func team() async throws -> (url: String, owner: String, login: String, role: String) {
        let cluster = try PostgresCluster.shared()
        let owner = try await cluster.createDatabase()
        let database = PostgresCluster.databaseName(of: owner)
        _ = try await PostgresStore.open(StoreURL(owner, name: "test"))
        let suffix = database.suffix(6)
        let (login, role) = ("alice_\(suffix)", "deployers_\(suffix)")
        try await cluster.execute("CREATE ROLE \(role) NOLOGIN")
        try await cluster.execute("CREATE ROLE \(login) LOGIN IN ROLE \(role)")
        for grant in [
            "GRANT USAGE ON SCHEMA slipway TO \(role)",
            "GRANT SELECT, INSERT, UPDATE, DELETE ON ALL TABLES IN SCHEMA slipway TO \(role)",
            "GRANT USAGE, SELECT ON ALL SEQUENCES IN SCHEMA slipway TO \(role)",
        ] {
            try await cluster.execute(grant, database: database)
        }
        return (owner.replacingOccurrences(of: "postgres://postgres@", with: "postgres://\(login)@"), owner, login, role)
    }

    @Test func theActorIsTheLoginWhatever_SLIPWAY_ACTOR_SaysAndItsRolesGrantAccess() async throws {
        let team = try await Self.team()
        let workspace = try TemporaryWorkspace(files: [
            "slipway.yml": """
                roles:
                  all:
                    everyone: viewer
                  production:
                    deployer: [db:\(team.role)]
                """,
            "apps/web/Makefile": "deploy:\n\t@true\n",
        ])
        let engine = try await Engine.open(
            workspace: workspace.root, state: nil,
            environment: ["SLIPWAY_STORE_URL": team.url, "SLIPWAY_ACTOR": "mallory", "USER": "mallory"])
        #expect(engine.identity.name == team.login)
        #expect(engine.identity.source == .databaseLogin)
        #expect(engine.identity.databaseRoles.contains(team.role))
        #expect(engine.role(in: "production") == .deployer)
        #expect(engine.role(in: "development") == .viewer)
        let event = try engine.store.append(NewEvent(.healthChecked, component: "web", environment: "production", details: EventDetails(healthy: true)))
        #expect(event.actor == team.login)
        #expect(try engine.store.latestEvents(limit: 1).first?.actor == team.login)
    }

    @Test func aLoginCannotPoseAsAnotherButTheOwnerMayCopyActorsAsTheyWere() async throws {
        let team = try await Self.team()
        let insert = """
            INSERT INTO slipway.events (time, actor, kind, schema_version, payload)
            VALUES (0, 'bob', 'health.checked', 1, '{}') RETURNING actor
            """
        let login = try await PostgresConnections.connect(DatabaseURL(team.url, name: "test"), logger: PostgresCluster.logger)
        let posed = try await login.query(PostgresQuery(unsafeSQL: insert), logger: PostgresCluster.logger).decode(String.self).first { _ in true }
        try await login.close()
        #expect(posed == team.login)
        // `store migrate` connects as the schema's owner and keeps every actor of the history it copies.
        let cluster = try PostgresCluster.shared()
        let copied = try await cluster.strings(insert, database: PostgresCluster.databaseName(of: team.owner))
        #expect(copied == ["bob"])
    }
}
