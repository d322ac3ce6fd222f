import Foundation
import Logging
import PostgresNIO

/// The local target's slots, routes and long-lived processes, written by each host's agent and
/// kept per host, its latest live probes, and cloud platforms' readings, on the shared store. Each record keeps the
/// embedded store's column values (enums by raw value, a reading's shares as the same JSON text),
/// so a store's records can be copied between the two. Lists are in key order, compared bytewise
/// (`COLLATE "C"`) as SQLite compares text, whatever the database's collation.
extension PostgresStore {
    // MARK: Slots

    public func slots(on hosts: HostScope) throws(SlipwayError) -> [SlotRecord] {
        let host = hosts.name
        return try reading("cannot read the store's slots") { connection, logger in
            let rows = try await connection.query("""
                SELECT component, environment, color, version, port, pid::integer, pid_start_time, host, directory,
                       command, variables, log_path, state, restarts, started_at, retire_at
                FROM slipway.slots WHERE (\(host)::text IS NULL OR host = \(host))
                ORDER BY component COLLATE "C", environment COLLATE "C", color COLLATE "C", host COLLATE "C"
                """, logger: logger)
            var slots: [SlotRecord] = []
            for try await (
                component, environment, color, version, port, pid, pidStartTime, host, directory, command, variables, logPath,
                state, restarts, startedAt, retireAt
            ) in rows.decode((
                String, String, String, String, Int, Int32, String, String, String, String, String, String, String, Int, Date, Date?
            ).self) {
                slots.append(SlotRecord(
                    component: component, environment: environment, color: color, version: version, port: port, pid: pid,
                    pidStartTime: pidStartTime, host: host, directory: directory, command: command, variables: variables,
                    logPath: logPath, state: try Self.localValue(state, as: SlotState.self, column: "slots.state"), restarts: restarts,
                    startedAt: startedAt, retireAt: retireAt))
            }
            return slots
        }
    }

    /// Saves `slot` (replacing the one of its host, component, environment and colour) and
    /// appends `event` with it, in one transaction.
    public func save(_ slot: SlotRecord, event: NewEvent?) throws(SlipwayError) {
        try writing("cannot save a slot in the store") { connection, logger in
            try await Self.upsert(slot, on: connection, logger: logger)
            if let event { _ = try await self.append([event], on: connection, logger: logger) }
        }
    }

    // MARK: Routes

    public func routes(on hosts: HostScope) throws(SlipwayError) -> [RouteRecord] {
        let hostName = hosts.name
        return try reading("cannot read the store's routes") { connection, logger in
            let rows = try await connection.query("""
                SELECT component, environment, host, port, live_color, green_weight, host_name
                FROM slipway.routes WHERE (\(hostName)::text IS NULL OR host_name = \(hostName))
                ORDER BY component COLLATE "C", environment COLLATE "C", host_name COLLATE "C"
                """, logger: logger)
            var routes: [RouteRecord] = []
            for try await (component, environment, host, port, liveColor, greenWeight, hostName)
                in rows.decode((String, String, String, Int, String?, Int, String).self) {
                routes.append(RouteRecord(
                    component: component, environment: environment, host: host, port: port, liveColor: liveColor,
                    greenWeight: greenWeight, hostName: hostName))
            }
            return routes
        }
    }

    /// Saves `route` (replacing the one of its host, component and environment) and appends
    /// `event` with it, in one transaction.
    public func save(_ route: RouteRecord, event: NewEvent?) throws(SlipwayError) {
        try writing("cannot save a route in the store") { connection, logger in
            try await Self.upsert(route, on: connection, logger: logger)
            if let event { _ = try await self.append([event], on: connection, logger: logger) }
        }
    }

    // MARK: Processes

    public func process(role: String, on host: String) throws(SlipwayError) -> ProcessRecord? {
        try reading("cannot read the store's processes") { connection, logger in
            try await Self.processes(
                "SELECT role, pid::integer, pid_start_time, host, socket FROM slipway.processes WHERE role = \(role) AND host = \(host)",
                on: connection, logger: logger
            ).first
        }
    }

    /// Every long-lived process recorded: the agents, the routers and the platform stand-ins.
    public func processes(on hosts: HostScope) throws(SlipwayError) -> [ProcessRecord] {
        let host = hosts.name
        return try reading("cannot read the store's processes") { connection, logger in
            try await Self.processes("""
                SELECT role, pid::integer, pid_start_time, host, socket FROM slipway.processes
                WHERE (\(host)::text IS NULL OR host = \(host)) ORDER BY role COLLATE "C", host COLLATE "C"
                """, on: connection, logger: logger)
        }
    }

    private static func processes(_ query: PostgresQuery, on connection: PostgresConnection, logger: Logger) async throws -> [ProcessRecord] {
        var processes: [ProcessRecord] = []
        for try await (role, pid, startTime, host, socket)
            in try await connection.query(query, logger: logger).decode((String, Int32, String, String, String).self) {
            processes.append(ProcessRecord(role: role, identity: ProcessIdentity(host: host, pid: pid, startTime: startTime), socket: socket))
        }
        return processes
    }

    /// Saves `process`, replacing the one of its host and role.
    public func save(_ process: ProcessRecord) throws(SlipwayError) {
        try writing("cannot save a process in the store") { connection, logger in
            try await Self.upsert(process, on: connection, logger: logger)
        }
    }

    public func deleteProcess(role: String, on host: String) throws(SlipwayError) {
        try writing("cannot delete a process from the store") { connection, logger in
            _ = try await connection.query("DELETE FROM slipway.processes WHERE role = \(role) AND host = \(host)", logger: logger)
        }
    }

    // MARK: Writing a row whole

    // Each as the embedded store's `save`: the row of its key written whole.

    static func upsert(_ route: RouteRecord, on connection: PostgresConnection, logger: Logger) async throws {
        try await connection.query("""
            INSERT INTO slipway.routes (component, environment, host, port, live_color, green_weight, host_name)
            VALUES (
                \(route.component), \(route.environment), \(route.host), \(route.port), \(route.liveColor), \(route.greenWeight),
                \(route.hostName))
            ON CONFLICT (host_name, component, environment) DO UPDATE SET host = EXCLUDED.host, port = EXCLUDED.port,
                live_color = EXCLUDED.live_color, green_weight = EXCLUDED.green_weight
            """, logger: logger)
    }

    static func upsert(_ slot: SlotRecord, on connection: PostgresConnection, logger: Logger) async throws {
        try await connection.query("""
            INSERT INTO slipway.slots (
                component, environment, color, version, port, pid, pid_start_time, host, directory, command, variables, log_path,
                state, restarts, started_at, retire_at)
            VALUES (
                \(slot.component), \(slot.environment), \(slot.color), \(slot.version), \(slot.port), \(Int64(slot.pid)),
                \(slot.pidStartTime), \(slot.host), \(slot.directory), \(slot.command), \(slot.variables), \(slot.logPath),
                \(slot.state.rawValue), \(slot.restarts), \(slot.startedAt), \(slot.retireAt))
            ON CONFLICT (host, component, environment, color) DO UPDATE SET version = EXCLUDED.version, port = EXCLUDED.port,
                pid = EXCLUDED.pid, pid_start_time = EXCLUDED.pid_start_time, directory = EXCLUDED.directory,
                command = EXCLUDED.command, variables = EXCLUDED.variables, log_path = EXCLUDED.log_path, state = EXCLUDED.state,
                restarts = EXCLUDED.restarts, started_at = EXCLUDED.started_at, retire_at = EXCLUDED.retire_at
            """, logger: logger)
    }

    static func upsert(_ process: ProcessRecord, on connection: PostgresConnection, logger: Logger) async throws {
        try await connection.query("""
            INSERT INTO slipway.processes (role, pid, pid_start_time, host, socket)
            VALUES (\(process.role), \(Int64(process.pid)), \(process.pidStartTime), \(process.host), \(process.socket))
            ON CONFLICT (host, role) DO UPDATE SET pid = EXCLUDED.pid, pid_start_time = EXCLUDED.pid_start_time,
                socket = EXCLUDED.socket
            """, logger: logger)
    }

    // MARK: Live probes

    /// Records a probe (replacing the one before of its host).
    public func save(_ probe: LiveProbe) throws(SlipwayError) {
        try writing("cannot save a live probe in the store") { connection, logger in
            _ = try await connection.query("""
                INSERT INTO slipway.live_health (component, environment, checked_at, healthy, host)
                VALUES (\(probe.component), \(probe.environment), \(probe.checkedAt), \(probe.healthy), \(probe.host))
                ON CONFLICT (host, component, environment) DO UPDATE SET checked_at = EXCLUDED.checked_at, healthy = EXCLUDED.healthy
                """, logger: logger)
        }
    }

    public func liveProbes(on hosts: HostScope) throws(SlipwayError) -> [LiveProbe] {
        let host = hosts.name
        return try reading("cannot read the store's live probes") { connection, logger in
            let rows = try await connection.query("""
                SELECT component, environment, checked_at, healthy, host
                FROM slipway.live_health WHERE (\(host)::text IS NULL OR host = \(host))
                ORDER BY host COLLATE "C", component COLLATE "C", environment COLLATE "C"
                """, logger: logger)
            var probes: [LiveProbe] = []
            for try await (component, environment, checkedAt, healthy, host) in rows.decode((String, String, Date, Bool, String).self) {
                probes.append(LiveProbe(component: component, environment: environment, checkedAt: checkedAt, healthy: healthy, host: host))
            }
            return probes
        }
    }

    // MARK: Platform readings

    /// Records a reading (replacing the one before).
    public func save(_ reading: PlatformReading) throws(SlipwayError) {
        try writing("cannot save a platform reading in the store") { connection, logger in
            let shares = try Self.sharesText(of: reading)
            _ = try await connection.query("""
                INSERT INTO slipway.platform_readings (
                    component, environment, read_at, source, window_start, window_end, shares, note, problem)
                VALUES (
                    \(reading.component), \(reading.environment), \(reading.readAt), \(reading.source), \(reading.windowStart),
                    \(reading.windowEnd), \(shares), \(reading.note), \(reading.problem))
                ON CONFLICT (component, environment) DO UPDATE SET
                    read_at = EXCLUDED.read_at, source = EXCLUDED.source, window_start = EXCLUDED.window_start,
                    window_end = EXCLUDED.window_end, shares = EXCLUDED.shares, note = EXCLUDED.note, problem = EXCLUDED.problem
                """, logger: logger)
        }
    }

    public func platformReadings() throws(SlipwayError) -> [PlatformReading] {
        try reading("cannot read the store's platform readings") { connection, logger in
            let rows = try await connection.query("""
                SELECT component, environment, read_at, source, window_start, window_end, shares, note, problem
                FROM slipway.platform_readings ORDER BY component COLLATE "C", environment COLLATE "C"
                """, logger: logger)
            var readings: [PlatformReading] = []
            for try await (component, environment, readAt, source, windowStart, windowEnd, shares, note, problem)
                in rows.decode((String, String, Date, String, Date, Date, String, String?, String?).self) {
                readings.append(PlatformReading(
                    component: component, environment: environment, readAt: readAt, source: source, windowStart: windowStart,
                    windowEnd: windowEnd, shares: try JSONDecoder().decode([PlatformShare].self, from: Data(shares.utf8)),
                    note: note, problem: problem))
            }
            return readings
        }
    }

    /// The reading's shares as the embedded store keeps them: GRDB's JSON of a Codable column,
    /// keys sorted.
    private static func sharesText(of reading: PlatformReading) throws -> String {
        let encoder = JSONEncoder()
        encoder.outputFormatting = .sortedKeys
        return String(decoding: try encoder.encode(reading.shares), as: UTF8.self)
    }

    // MARK: Decoding

    /// `raw`, a value of `column`, as a `Value`; an error naming it when this Slipway does not
    /// know it (a newer one wrote it), which the store's failure says in one line.
    static func localValue<Value: RawRepresentable<String>>(_ raw: String, as type: Value.Type, column: String) throws -> Value {
        guard let value = Value(rawValue: raw) else { throw UnknownLocalValue(column: column, raw: raw) }
        return value
    }

    struct UnknownLocalValue: Error, CustomStringConvertible {
        var column: String
        var raw: String
        var description: String { "\(column) holds '\(raw)', which this slipway does not know: upgrade slipway" }
    }
}
