import Logging
import PostgresNIO

/// Version 4 of the shared store's schema: agents of several hosts share the store, each keeping
/// its own slots, routes, processes and live probes (keyed by host), and saying it is up in
/// `hosts`. As the embedded store's migration to v12, the rows so far are one host's: a route and a
/// probe take the host of the router (else the agent, else the migrating process).
extension PostgresStoreSchema {
    static let hosts = Version(number: 4, description: "hosts", statements: [
        "ALTER TABLE slipway.slots DROP CONSTRAINT slots_pkey, ADD PRIMARY KEY (host, component, environment, color)",
        "ALTER TABLE slipway.processes DROP CONSTRAINT processes_pkey, ADD PRIMARY KEY (host, role)",
        "ALTER TABLE slipway.routes ADD COLUMN host_name text",
        "ALTER TABLE slipway.live_health ADD COLUMN host text",
        """
        CREATE TABLE slipway.hosts (
            host text PRIMARY KEY,
            pid bigint NOT NULL,
            pid_start_time text NOT NULL,
            version text NOT NULL,
            started_at timestamptz NOT NULL,
            last_seen timestamptz NOT NULL,
            stopped_at timestamptz
        )
        """,
    ], fill: { connection, logger in
        let fallback = ProcessIdentity.hostName
        let host = try await connection.query("""
            SELECT COALESCE(
                (SELECT host FROM slipway.processes WHERE role IN ('router', 'agent') ORDER BY role = 'router' DESC LIMIT 1),
                \(fallback))
            """, logger: logger).decode(String.self).first { _ in true } ?? fallback
        _ = try await connection.query("UPDATE slipway.routes SET host_name = \(host)", logger: logger)
        _ = try await connection.query("UPDATE slipway.live_health SET host = \(host)", logger: logger)
        for statement in [
            "ALTER TABLE slipway.routes ALTER COLUMN host_name SET NOT NULL, DROP CONSTRAINT routes_pkey, ADD PRIMARY KEY (host_name, component, environment)",
            "ALTER TABLE slipway.live_health ALTER COLUMN host SET NOT NULL, DROP CONSTRAINT live_health_pkey, ADD PRIMARY KEY (host, component, environment)",
        ] {
            _ = try await connection.query(PostgresQuery(unsafeSQL: statement), logger: logger)
        }
    })
}
