import GRDB

/// The engine's own schema. It only ever grows by forward, additive migrations, so an older
/// store opens in a newer Slipway; a newer store is refused by an older one.
enum StoreSchema {
    /// Version written into every event, so that readers can upcast old payloads.
    static let eventSchemaVersion = 1

    static var migrator: DatabaseMigrator {
        var migrator = DatabaseMigrator()
        migrator.registerMigration("v1-events-runs-locks") { db in
            try db.execute(sql: """
                CREATE TABLE events (
                    id INTEGER PRIMARY KEY,
                    time INTEGER NOT NULL,
                    actor TEXT NOT NULL,
                    kind TEXT NOT NULL,
                    schema_version INTEGER NOT NULL,
                    component TEXT,
                    environment TEXT,
                    run_id TEXT,
                    payload TEXT NOT NULL
                );
                CREATE INDEX events_by_component ON events(component, environment, kind);
                CREATE INDEX events_by_run ON events(run_id);
                CREATE TRIGGER events_no_update BEFORE UPDATE ON events
                    BEGIN SELECT RAISE(ABORT, 'events are append-only'); END;
                CREATE TRIGGER events_no_delete BEFORE DELETE ON events
                    BEGIN SELECT RAISE(ABORT, 'events are append-only'); END;
                CREATE TABLE deployment_state (
                    component TEXT NOT NULL,
                    environment TEXT NOT NULL,
                    state TEXT NOT NULL,
                    PRIMARY KEY (component, environment)
                );
                CREATE TABLE runs (
                    id TEXT PRIMARY KEY,
                    kind TEXT NOT NULL,
                    component TEXT,
                    environment TEXT,
                    version TEXT,
                    state TEXT NOT NULL,
                    actor TEXT NOT NULL,
                    origin TEXT NOT NULL,
                    host TEXT NOT NULL,
                    pid INTEGER NOT NULL,
                    pid_start_time TEXT NOT NULL,
                    started_at DATETIME NOT NULL,
                    heartbeat_at DATETIME NOT NULL,
                    finished_at DATETIME,
                    cancel_requested BOOLEAN NOT NULL DEFAULT 0,
                    reason TEXT
                );
                CREATE INDEX runs_by_state ON runs(state);
                CREATE TABLE run_output (
                    run_id TEXT NOT NULL,
                    seq INTEGER NOT NULL,
                    time INTEGER NOT NULL,
                    line TEXT NOT NULL,
                    PRIMARY KEY (run_id, seq)
                ) WITHOUT ROWID;
                CREATE TABLE locks (
                    component TEXT NOT NULL,
                    environment TEXT NOT NULL,
                    run_id TEXT NOT NULL,
                    actor TEXT NOT NULL,
                    acquired_at DATETIME NOT NULL,
                    PRIMARY KEY (component, environment)
                );
                """)
        }
        migrator.registerMigration("v2-local-slots-routes") { db in
            try db.execute(sql: """
                CREATE TABLE slots (
                    component TEXT NOT NULL,
                    environment TEXT NOT NULL,
                    color TEXT NOT NULL,
                    version TEXT NOT NULL,
                    port INTEGER NOT NULL,
                    pid INTEGER NOT NULL,
                    pid_start_time TEXT NOT NULL,
                    host TEXT NOT NULL,
                    directory TEXT NOT NULL,
                    command TEXT NOT NULL,
                    variables TEXT NOT NULL,
                    log_path TEXT NOT NULL,
                    state TEXT NOT NULL,
                    restarts INTEGER NOT NULL DEFAULT 0,
                    started_at DATETIME NOT NULL,
                    PRIMARY KEY (component, environment, color)
                );
                CREATE TABLE routes (
                    component TEXT NOT NULL,
                    environment TEXT NOT NULL,
                    host TEXT NOT NULL,
                    port INTEGER NOT NULL,
                    live_color TEXT,
                    green_weight INTEGER NOT NULL DEFAULT 0,
                    PRIMARY KEY (component, environment)
                );
                CREATE TABLE processes (
                    role TEXT PRIMARY KEY,
                    pid INTEGER NOT NULL,
                    pid_start_time TEXT NOT NULL,
                    host TEXT NOT NULL,
                    socket TEXT NOT NULL
                );
                """)
        }
        migrator.registerMigration("v3-slot-retirement") { db in
            try db.execute(sql: "ALTER TABLE slots ADD COLUMN retire_at DATETIME")
        }
        migrator.registerMigration("v3-canary") { db in
            try db.execute(sql: """
                CREATE TABLE canaries (
                    component TEXT NOT NULL,
                    environment TEXT NOT NULL,
                    run_id TEXT NOT NULL,
                    version TEXT NOT NULL,
                    canary_color TEXT NOT NULL,
                    stable_color TEXT NOT NULL,
                    progress TEXT NOT NULL,
                    updated_at DATETIME NOT NULL,
                    PRIMARY KEY (component, environment)
                );
                CREATE TABLE canary_commands (
                    id INTEGER PRIMARY KEY AUTOINCREMENT,
                    component TEXT NOT NULL,
                    environment TEXT NOT NULL,
                    command TEXT NOT NULL,
                    actor TEXT NOT NULL,
                    requested_at DATETIME NOT NULL
                );
                """)
        }
        migrator.registerMigration("v3-slo") { db in
            try db.execute(sql: """
                CREATE TABLE sli_minutes (
                    component TEXT NOT NULL,
                    environment TEXT NOT NULL,
                    objective TEXT NOT NULL,
                    minute INTEGER NOT NULL,
                    total INTEGER NOT NULL,
                    bad INTEGER NOT NULL,
                    PRIMARY KEY (component, environment, objective, minute)
                ) WITHOUT ROWID;
                CREATE INDEX sli_minutes_by_minute ON sli_minutes (minute);
                """)
        }
        migrator.registerMigration("v3-alert-outbox") { db in
            try db.execute(sql: """
                CREATE TABLE alert_outbox (
                    id INTEGER PRIMARY KEY AUTOINCREMENT,
                    sink TEXT NOT NULL,
                    payload TEXT NOT NULL,
                    attempts INTEGER NOT NULL DEFAULT 0,
                    next_attempt_at DATETIME NOT NULL,
                    delivered_at DATETIME,
                    last_error TEXT,
                    created_at DATETIME NOT NULL
                );
                CREATE INDEX alert_outbox_due ON alert_outbox (delivered_at, next_attempt_at);
                """)
        }
        migrator.registerMigration("v4-sli-running-sums") { db in
            // Each minute also carries the running sums of its objective up to and including it,
            // so any window's counts are two index look-ups instead of a scan of its minutes.
            try db.execute(sql: """
                ALTER TABLE sli_minutes ADD COLUMN total_through INTEGER NOT NULL DEFAULT 0;
                ALTER TABLE sli_minutes ADD COLUMN bad_through INTEGER NOT NULL DEFAULT 0;
                UPDATE sli_minutes SET total_through = running.total_through, bad_through = running.bad_through
                FROM (
                    SELECT component, environment, objective, minute,
                        SUM(total) OVER subject AS total_through, SUM(bad) OVER subject AS bad_through
                    FROM sli_minutes
                    WINDOW subject AS (PARTITION BY component, environment, objective ORDER BY minute)
                ) AS running
                WHERE sli_minutes.component = running.component AND sli_minutes.environment = running.environment
                    AND sli_minutes.objective = running.objective AND sli_minutes.minute = running.minute;
                """)
        }
        migrator.registerMigration("v4-alert-state") { db in
            try db.execute(sql: """
                CREATE TABLE alert_states (
                    component TEXT NOT NULL,
                    environment TEXT NOT NULL,
                    objective TEXT NOT NULL,
                    firing TEXT NOT NULL,
                    budget_remaining DOUBLE NOT NULL,
                    evaluated_at DATETIME NOT NULL,
                    PRIMARY KEY (component, environment, objective)
                );
                """)
        }
        migrator.registerMigration("v5-run-requests") { db in
            // A request is kept apart from its run: it exists before the agent begins the run, and
            // its checkpoint lets another agent make the run's stages again.
            try db.execute(sql: """
                CREATE TABLE run_requests (
                    id TEXT PRIMARY KEY,
                    request TEXT NOT NULL,
                    actor TEXT NOT NULL,
                    origin TEXT NOT NULL,
                    requested_at DATETIME NOT NULL,
                    state TEXT NOT NULL,
                    executor_pid INTEGER,
                    executor_start TEXT,
                    no_wait BOOLEAN NOT NULL DEFAULT 0,
                    checkpoint TEXT,
                    error TEXT,
                    error_is_usage BOOLEAN NOT NULL DEFAULT 0
                );
                CREATE INDEX run_requests_by_state ON run_requests(state);
                """)
        }
        migrator.registerMigration("v6-live-health") { db in
            // The agent's latest probe of each live release, written on every probe, so health
            // shows with its age; events record only its changes.
            try db.execute(sql: """
                CREATE TABLE live_health (
                    component TEXT NOT NULL,
                    environment TEXT NOT NULL,
                    checked_at DATETIME NOT NULL,
                    healthy BOOLEAN NOT NULL,
                    PRIMARY KEY (component, environment)
                );
                """)
        }
        migrator.registerMigration("v7-projection-checkpoints") { db in
            // Copies of the whole projection every `EventStore.checkpointInterval` events, so the
            // fleet of any past moment is a checkpoint plus a short fold, not a fold of every event.
            // The time index finds the last event of a moment without reading the log.
            try db.execute(sql: """
                CREATE TABLE projection_checkpoints (
                    event_id INTEGER NOT NULL,
                    component TEXT NOT NULL,
                    environment TEXT NOT NULL,
                    state TEXT NOT NULL,
                    PRIMARY KEY (event_id, component, environment)
                );
                CREATE INDEX events_by_time ON events(time);
                """)
        }
        migrator.registerMigration("v8-alert-silences-and-claims") { db in
            // Silences keep alerts from their sinks until they end; a delivery is claimed by one
            // agent for a lease, so two agents draining the outbox never deliver a row twice.
            try db.execute(sql: """
                CREATE TABLE alert_silences (
                    id TEXT PRIMARY KEY,
                    severity TEXT,
                    component TEXT,
                    environment TEXT,
                    starts_at DATETIME NOT NULL,
                    ends_at DATETIME NOT NULL,
                    reason TEXT NOT NULL,
                    actor TEXT NOT NULL
                );
                CREATE INDEX alert_silences_by_end ON alert_silences (ends_at);
                ALTER TABLE alert_outbox ADD COLUMN claimed_by TEXT;
                ALTER TABLE alert_outbox ADD COLUMN claimed_until DATETIME;
                """)
        }
        migrator.registerMigration("v9-request-approvals") { db in
            // The two-person rule: a request waits for approvers before any agent may claim it.
            try db.execute(sql: """
                ALTER TABLE run_requests ADD COLUMN approvals_needed INTEGER NOT NULL DEFAULT 0;
                ALTER TABLE run_requests ADD COLUMN approved_by TEXT NOT NULL DEFAULT '[]';
                ALTER TABLE run_requests ADD COLUMN expires_at DATETIME;
                ALTER TABLE run_requests ADD COLUMN approved_at DATETIME;
                """)
        }
        migrator.registerMigration("v10-platform-readings") { db in
            // The agent's latest reading of each cloud component's split and per-colour figures
            // from its platform, replaced on every reading; its SLI minutes go to sli_minutes.
            try db.execute(sql: """
                CREATE TABLE platform_readings (
                    component TEXT NOT NULL,
                    environment TEXT NOT NULL,
                    read_at DATETIME NOT NULL,
                    source TEXT NOT NULL,
                    window_start DATETIME NOT NULL,
                    window_end DATETIME NOT NULL,
                    shares TEXT NOT NULL,
                    note TEXT,
                    problem TEXT,
                    PRIMARY KEY (component, environment)
                );
                """)
        }
        migrator.registerMigration("v11-request-executor-host") { db in
            // With a shared store, agents of several hosts take requests: one may look at the
            // process of a claim only on its own host.
            try db.execute(sql: "ALTER TABLE run_requests ADD COLUMN executor_host TEXT")
        }
        migrator.registerMigration("v12-hosts") { db in try migrateToHosts(db) }
        migrator.registerMigration("v13-host-steps") { db in
            try db.execute(sql: HostStep.tableDefinition(time: "DATETIME"))
            try db.execute(sql: "CREATE INDEX host_steps_by_host ON host_steps (host, state)")
            try db.execute(sql: "ALTER TABLE run_requests ADD COLUMN requester_host TEXT")
        }
        return migrator
    }

    /// Agents of several hosts share a store: each keeps its own slots, routes, processes and
    /// live probes, keyed by host, and says it is up in `hosts`. A store's rows so far are its
    /// one host's: a route and a probe take the host of the router (else the agent, else this
    /// process), as slots and processes already name theirs.
    static func migrateToHosts(_ db: Database) throws {
        try db.execute(sql: """
            CREATE TABLE slots_by_host (
                component TEXT NOT NULL,
                environment TEXT NOT NULL,
                color TEXT NOT NULL,
                version TEXT NOT NULL,
                port INTEGER NOT NULL,
                pid INTEGER NOT NULL,
                pid_start_time TEXT NOT NULL,
                host TEXT NOT NULL,
                directory TEXT NOT NULL,
                command TEXT NOT NULL,
                variables TEXT NOT NULL,
                log_path TEXT NOT NULL,
                state TEXT NOT NULL,
                restarts INTEGER NOT NULL DEFAULT 0,
                started_at DATETIME NOT NULL,
                retire_at DATETIME,
                PRIMARY KEY (host, component, environment, color)
            );
            INSERT INTO slots_by_host SELECT
                component, environment, color, version, port, pid, pid_start_time, host, directory, command, variables,
                log_path, state, restarts, started_at, retire_at
            FROM slots;
            DROP TABLE slots;
            ALTER TABLE slots_by_host RENAME TO slots;

            CREATE TABLE processes_by_host (
                role TEXT NOT NULL,
                pid INTEGER NOT NULL,
                pid_start_time TEXT NOT NULL,
                host TEXT NOT NULL,
                socket TEXT NOT NULL,
                PRIMARY KEY (host, role)
            );
            INSERT INTO processes_by_host SELECT role, pid, pid_start_time, host, socket FROM processes;
            DROP TABLE processes;
            ALTER TABLE processes_by_host RENAME TO processes;
            """)
        let host = try String.fetchOne(db, sql: """
            SELECT host FROM processes WHERE role IN ('router', 'agent') ORDER BY role = 'router' DESC LIMIT 1
            """) ?? ProcessIdentity.hostName
        try db.execute(sql: """
            CREATE TABLE routes_by_host (
                component TEXT NOT NULL,
                environment TEXT NOT NULL,
                host TEXT NOT NULL,
                port INTEGER NOT NULL,
                live_color TEXT,
                green_weight INTEGER NOT NULL DEFAULT 0,
                host_name TEXT NOT NULL,
                PRIMARY KEY (host_name, component, environment)
            );
            INSERT INTO routes_by_host SELECT component, environment, host, port, live_color, green_weight, ? FROM routes;
            DROP TABLE routes;
            ALTER TABLE routes_by_host RENAME TO routes;

            CREATE TABLE live_health_by_host (
                component TEXT NOT NULL,
                environment TEXT NOT NULL,
                checked_at DATETIME NOT NULL,
                healthy BOOLEAN NOT NULL,
                host TEXT NOT NULL,
                PRIMARY KEY (host, component, environment)
            );
            INSERT INTO live_health_by_host SELECT component, environment, checked_at, healthy, ? FROM live_health;
            DROP TABLE live_health;
            ALTER TABLE live_health_by_host RENAME TO live_health;

            CREATE TABLE hosts (
                host TEXT PRIMARY KEY,
                pid INTEGER NOT NULL,
                pid_start_time TEXT NOT NULL,
                version TEXT NOT NULL,
                started_at DATETIME NOT NULL,
                last_seen DATETIME NOT NULL,
                stopped_at DATETIME
            );
            """, arguments: [host, host])
    }
}
