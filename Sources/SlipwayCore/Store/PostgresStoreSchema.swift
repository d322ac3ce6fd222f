import Logging
import PostgresNIO

/// The shared store's own schema, in the `slipway` schema of the team's database. Like the
/// embedded store's, it only ever grows by forward versions, recorded in `slipway.schema_versions`
/// as they are applied: an older database opens in a newer Slipway, a newer one is refused.
enum PostgresStoreSchema {
    struct Version {
        var number: Int
        var description: String
        var statements: [String]
        /// Run after the statements, in the same transaction: to fill what they created from the events.
        var fill: (@Sendable (PostgresConnection, Logger) async throws -> Void)? = nil
    }

    /// The lock every migration of the schema holds for its transaction, so two processes opening
    /// a new database at once create it once ("slipsch" in ASCII).
    static let lockKey: Int64 = 0x73_6C_69_70_73_63_68

    static let versions: [Version] = [
        Version(number: 1, description: "events", statements: [
            // The same columns as the embedded store's `events`; the actor defaults to the login,
            // so an append names no one and cannot pose as someone else.
            """
            CREATE TABLE slipway.events (
                id bigserial PRIMARY KEY,
                time bigint NOT NULL,
                actor text NOT NULL DEFAULT current_user,
                kind text NOT NULL,
                schema_version integer NOT NULL,
                component text,
                environment text,
                run_id text,
                payload text NOT NULL
            )
            """,
            "CREATE INDEX events_by_component ON slipway.events (component, environment, kind)",
            "CREATE INDEX events_by_run ON slipway.events (run_id)",
            "CREATE INDEX events_by_time ON slipway.events (time)",
            """
            CREATE FUNCTION slipway.events_are_append_only() RETURNS trigger LANGUAGE plpgsql AS $$
            BEGIN
                RAISE EXCEPTION 'events are append-only';
            END
            $$
            """,
            """
            CREATE TRIGGER events_no_update_or_delete BEFORE UPDATE OR DELETE OR TRUNCATE ON slipway.events
                FOR EACH STATEMENT EXECUTE FUNCTION slipway.events_are_append_only()
            """,
        ]),
        // The fleet projection, kept by every append as the embedded store's `deployment_state`
        // is; a database with events gets it folded from them as it is upgraded.
        Version(number: 2, description: "deployment state", statements: [
            """
            CREATE TABLE slipway.deployment_state (
                component text NOT NULL,
                environment text NOT NULL,
                state text NOT NULL,
                PRIMARY KEY (component, environment)
            )
            """,
        ], fill: { connection, logger in try await PostgresEventStore.fillStoredProjection(on: connection, logger: logger) }),
        operations,
        hosts,
        Version(number: 5, description: "host steps, requests' hosts; the actor check only on an event naming someone else", statements: [
            HostStep.tableDefinition(schema: "slipway.", time: "timestamptz"),
            "CREATE INDEX host_steps_by_host ON slipway.host_steps (host, state)",
            "ALTER TABLE slipway.run_requests ADD COLUMN requester_host text",
            // An append leaves the actor to its default, the login: the check (a PL/pgSQL call and
            // a catalogue look-up per row, about a third of a 1,000-event append) is for the rows
            // that name someone else, which only `store migrate` writes.
            "DROP TRIGGER events_actor_is_the_login ON slipway.events",
            """
            CREATE TRIGGER events_actor_is_the_login BEFORE INSERT ON slipway.events
                FOR EACH ROW WHEN (NEW.actor IS DISTINCT FROM current_user) EXECUTE FUNCTION slipway.event_actor_is_the_login()
            """,
        ]),
    ]

    static var latest: Int { versions.last?.number ?? 0 }

    /// The newest version applied to the database; 0 when it holds no Slipway store yet.
    static func appliedVersion(on connection: PostgresConnection, logger: Logger) async throws -> Int {
        let exists = try await connection.query(
            "SELECT to_regclass('slipway.schema_versions') IS NOT NULL", logger: logger
        ).decode(Bool.self).first { _ in true } ?? false
        guard exists else { return 0 }
        let version = try await connection.query(
            "SELECT COALESCE(MAX(version), 0) FROM slipway.schema_versions", logger: logger
        ).decode(Int32.self).first { _ in true } ?? 0
        return Int(version)
    }

    /// Applies the versions the database lacks, all in one transaction; returns the version the
    /// database is at, which is above `latest` when a newer Slipway wrote it (and nothing is applied).
    /// `target` is for tests that need a database an older Slipway left.
    static func migrate(_ connection: PostgresConnection, logger: Logger, upTo target: Int = PostgresStoreSchema.latest) async throws -> Int {
        let applied = try await appliedVersion(on: connection, logger: logger)
        guard applied < target else { return applied }
        return try await connection.withTransaction(logger: logger) { connection in
            _ = try await connection.query("SELECT pg_advisory_xact_lock(\(lockKey))", logger: logger)
            _ = try await connection.query("CREATE SCHEMA IF NOT EXISTS slipway", logger: logger)
            _ = try await connection.query("""
                CREATE TABLE IF NOT EXISTS slipway.schema_versions (
                    version integer PRIMARY KEY,
                    description text NOT NULL,
                    applied_at timestamptz NOT NULL DEFAULT now(),
                    applied_by text NOT NULL DEFAULT current_user
                )
                """, logger: logger)
            // Read again under the lock: another process may have migrated while this one waited.
            let current = try await appliedVersion(on: connection, logger: logger)
            for version in versions where version.number > current && version.number <= target {
                for statement in version.statements {
                    _ = try await connection.query(PostgresQuery(unsafeSQL: statement), logger: logger)
                }
                try await version.fill?(connection, logger)
                let number = Int32(version.number)
                let description = version.description
                _ = try await connection.query(
                    "INSERT INTO slipway.schema_versions (version, description) VALUES (\(number), \(description))",
                    logger: logger)
            }
            return max(current, target)
        }
    }
}
