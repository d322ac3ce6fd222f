import Foundation
import Logging
import PostgresNIO

extension PostgresStore {
    /// Writes what an agent handed over into this (new) store, in one transaction: its routes,
    /// slots and router, so the next agent supervises them as they run, and events that give the
    /// projection each route's live release and colour (`traffic.switched`, as the router serves
    /// it) and record each running slot, all saying where they came from.
    public func recover(_ records: AgentRecords, reason: String) throws(SlipwayError) -> [Event] {
        try writing("cannot recover the agent's records") { connection, logger in
            for route in records.routes { try await Self.upsert(route, on: connection, logger: logger) }
            for slot in records.slots { try await Self.upsert(slot, on: connection, logger: logger) }
            if let router = records.router { try await Self.upsert(router, on: connection, logger: logger) }
            return try await self.append(records.recoveryEvents(reason: reason), on: connection, logger: logger)
        }
    }

    // Each as the embedded store's `save`: the row of its key written whole.

    private static func upsert(_ route: RouteRecord, on connection: PostgresConnection, logger: Logger) async throws {
        try await connection.query("""
            INSERT INTO slipway.routes (component, environment, host, port, live_color, green_weight)
            VALUES (\(route.component), \(route.environment), \(route.host), \(Int32(route.port)), \(route.liveColor), \(Int32(route.greenWeight)))
            ON CONFLICT (component, environment) DO UPDATE SET host = EXCLUDED.host, port = EXCLUDED.port,
                live_color = EXCLUDED.live_color, green_weight = EXCLUDED.green_weight
            """, logger: logger)
    }

    private static func upsert(_ slot: SlotRecord, on connection: PostgresConnection, logger: Logger) async throws {
        try await connection.query("""
            INSERT INTO slipway.slots (
                component, environment, color, version, port, pid, pid_start_time, host, directory, command, variables, log_path,
                state, restarts, started_at, retire_at)
            VALUES (
                \(slot.component), \(slot.environment), \(slot.color), \(slot.version), \(Int32(slot.port)), \(Int64(slot.pid)),
                \(slot.pidStartTime), \(slot.host), \(slot.directory), \(slot.command), \(slot.variables), \(slot.logPath),
                \(slot.state.rawValue), \(Int32(slot.restarts)), \(slot.startedAt), \(slot.retireAt))
            ON CONFLICT (component, environment, color) DO UPDATE SET version = EXCLUDED.version, port = EXCLUDED.port,
                pid = EXCLUDED.pid, pid_start_time = EXCLUDED.pid_start_time, host = EXCLUDED.host, directory = EXCLUDED.directory,
                command = EXCLUDED.command, variables = EXCLUDED.variables, log_path = EXCLUDED.log_path, state = EXCLUDED.state,
                restarts = EXCLUDED.restarts, started_at = EXCLUDED.started_at, retire_at = EXCLUDED.retire_at
            """, logger: logger)
    }

    private static func upsert(_ process: ProcessRecord, on connection: PostgresConnection, logger: Logger) async throws {
        try await connection.query("""
            INSERT INTO slipway.processes (role, pid, pid_start_time, host, socket)
            VALUES (\(process.role), \(Int64(process.pid)), \(process.pidStartTime), \(process.host), \(process.socket))
            ON CONFLICT (role) DO UPDATE SET pid = EXCLUDED.pid, pid_start_time = EXCLUDED.pid_start_time,
                host = EXCLUDED.host, socket = EXCLUDED.socket
            """, logger: logger)
    }
}
