/// Version 3 of the shared store's schema: the tables of the engine's operations, the same as the
/// embedded store's (StoreSchema) in PostgreSQL's types, a part of the engine each.
extension PostgresStoreSchema {
    static let operations = Version(number: 3, description: "runs, requests, local slots, health", statements: runTables + localTables + healthTables + loginIsTheActor)

    /// Runs, their locks and output, and the requests agents execute.
    static let runTables = [
        """
        CREATE TABLE slipway.runs (
            id text PRIMARY KEY,
            kind text NOT NULL,
            component text,
            environment text,
            version text,
            state text NOT NULL,
            actor text NOT NULL,
            origin text NOT NULL,
            host text NOT NULL,
            pid bigint NOT NULL,
            pid_start_time text NOT NULL,
            started_at timestamptz NOT NULL,
            heartbeat_at timestamptz NOT NULL,
            finished_at timestamptz,
            cancel_requested boolean NOT NULL DEFAULT false,
            reason text
        )
        """,
        "CREATE INDEX runs_by_state ON slipway.runs (state)",
        "CREATE INDEX runs_by_start ON slipway.runs (started_at)",
        """
        CREATE TABLE slipway.run_output (
            run_id text NOT NULL,
            seq integer NOT NULL,
            time bigint NOT NULL,
            line text NOT NULL,
            PRIMARY KEY (run_id, seq)
        )
        """,
        """
        CREATE TABLE slipway.locks (
            component text NOT NULL,
            environment text NOT NULL,
            run_id text NOT NULL,
            actor text NOT NULL,
            acquired_at timestamptz NOT NULL,
            PRIMARY KEY (component, environment)
        )
        """,
        """
        CREATE TABLE slipway.run_requests (
            id text PRIMARY KEY,
            request text NOT NULL,
            actor text NOT NULL,
            origin text NOT NULL,
            requested_at timestamptz NOT NULL,
            state text NOT NULL,
            executor_pid bigint,
            executor_start text,
            no_wait boolean NOT NULL DEFAULT false,
            checkpoint text,
            error text,
            error_is_usage boolean NOT NULL DEFAULT false,
            approvals_needed integer NOT NULL DEFAULT 0,
            approved_by text NOT NULL DEFAULT '[]',
            expires_at timestamptz,
            approved_at timestamptz,
            executor_host text
        )
        """,
        "CREATE INDEX run_requests_by_state ON slipway.run_requests (state)",
    ]

    /// What the agents of the local target keep: slots, routes, their own processes, live health,
    /// cloud platforms' readings and canaries.
    static let localTables = [
        """
        CREATE TABLE slipway.slots (
            component text NOT NULL,
            environment text NOT NULL,
            color text NOT NULL,
            version text NOT NULL,
            port integer NOT NULL,
            pid bigint NOT NULL,
            pid_start_time text NOT NULL,
            host text NOT NULL,
            directory text NOT NULL,
            command text NOT NULL,
            variables text NOT NULL,
            log_path text NOT NULL,
            state text NOT NULL,
            restarts integer NOT NULL DEFAULT 0,
            started_at timestamptz NOT NULL,
            retire_at timestamptz,
            PRIMARY KEY (component, environment, color)
        )
        """,
        """
        CREATE TABLE slipway.routes (
            component text NOT NULL,
            environment text NOT NULL,
            host text NOT NULL,
            port integer NOT NULL,
            live_color text,
            green_weight integer NOT NULL DEFAULT 0,
            PRIMARY KEY (component, environment)
        )
        """,
        """
        CREATE TABLE slipway.processes (
            role text PRIMARY KEY,
            pid bigint NOT NULL,
            pid_start_time text NOT NULL,
            host text NOT NULL,
            socket text NOT NULL
        )
        """,
        """
        CREATE TABLE slipway.live_health (
            component text NOT NULL,
            environment text NOT NULL,
            checked_at timestamptz NOT NULL,
            healthy boolean NOT NULL,
            PRIMARY KEY (component, environment)
        )
        """,
        """
        CREATE TABLE slipway.platform_readings (
            component text NOT NULL,
            environment text NOT NULL,
            read_at timestamptz NOT NULL,
            source text NOT NULL,
            window_start timestamptz NOT NULL,
            window_end timestamptz NOT NULL,
            shares text NOT NULL,
            note text,
            problem text,
            PRIMARY KEY (component, environment)
        )
        """,
        """
        CREATE TABLE slipway.canaries (
            component text NOT NULL,
            environment text NOT NULL,
            run_id text NOT NULL,
            version text NOT NULL,
            canary_color text NOT NULL,
            stable_color text NOT NULL,
            progress text NOT NULL,
            updated_at timestamptz NOT NULL,
            PRIMARY KEY (component, environment)
        )
        """,
        """
        CREATE TABLE slipway.canary_commands (
            id bigserial PRIMARY KEY,
            component text NOT NULL,
            environment text NOT NULL,
            command text NOT NULL,
            actor text NOT NULL,
            requested_at timestamptz NOT NULL
        )
        """,
    ]

    /// SLI minutes with their running sums, alert states, silences and the alert outbox.
    static let healthTables = [
        """
        CREATE TABLE slipway.sli_minutes (
            component text NOT NULL,
            environment text NOT NULL,
            objective text NOT NULL,
            minute bigint NOT NULL,
            total bigint NOT NULL,
            bad bigint NOT NULL,
            total_through bigint NOT NULL DEFAULT 0,
            bad_through bigint NOT NULL DEFAULT 0,
            PRIMARY KEY (component, environment, objective, minute)
        )
        """,
        "CREATE INDEX sli_minutes_by_minute ON slipway.sli_minutes (minute)",
        """
        CREATE TABLE slipway.alert_states (
            component text NOT NULL,
            environment text NOT NULL,
            objective text NOT NULL,
            firing text NOT NULL,
            budget_remaining double precision NOT NULL,
            evaluated_at timestamptz NOT NULL,
            PRIMARY KEY (component, environment, objective)
        )
        """,
        """
        CREATE TABLE slipway.alert_silences (
            id text PRIMARY KEY,
            severity text,
            component text,
            environment text,
            starts_at timestamptz NOT NULL,
            ends_at timestamptz NOT NULL,
            reason text NOT NULL,
            actor text NOT NULL
        )
        """,
        "CREATE INDEX alert_silences_by_end ON slipway.alert_silences (ends_at)",
        """
        CREATE TABLE slipway.alert_outbox (
            id bigserial PRIMARY KEY,
            sink text NOT NULL,
            payload text NOT NULL,
            attempts integer NOT NULL DEFAULT 0,
            next_attempt_at timestamptz NOT NULL,
            delivered_at timestamptz,
            last_error text,
            created_at timestamptz NOT NULL,
            claimed_by text,
            claimed_until timestamptz
        )
        """,
        "CREATE INDEX alert_outbox_due ON slipway.alert_outbox (delivered_at, next_attempt_at)",
    ]

    /// An event's actor is the login that appended it, whatever the insert says: a login may
    /// append but not pose as another. Only the schema's owner (and superusers) may name the actor,
    /// which `store migrate` does to copy a history exactly.
    static let loginIsTheActor = [
        """
        CREATE FUNCTION slipway.event_actor_is_the_login() RETURNS trigger LANGUAGE plpgsql AS $$
        BEGIN
            IF NOT pg_has_role(current_user, (SELECT nspowner FROM pg_namespace WHERE nspname = 'slipway'), 'USAGE') THEN
                NEW.actor := current_user;
            END IF;
            RETURN NEW;
        END
        $$
        """,
        """
        CREATE TRIGGER events_actor_is_the_login BEFORE INSERT ON slipway.events
            FOR EACH ROW EXECUTE FUNCTION slipway.event_actor_is_the_login()
        """,
    ]
}
