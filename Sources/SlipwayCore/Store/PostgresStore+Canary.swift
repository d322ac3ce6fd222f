import Foundation
import Logging
import PostgresNIO

/// Canaries in progress and the commands people send them, on the shared store.
extension PostgresStore {
    public func canaries() throws(SlipwayError) -> [CanaryRecord] {
        try reading("cannot read the store's canaries") { connection, logger in
            try await Self.canaries(
                #"SELECT \#(unescaped: Self.canaryColumns) FROM slipway.canaries ORDER BY component COLLATE "C", environment COLLATE "C""#,
                on: connection, logger: logger)
        }
    }

    public func canary(component: String, environment: String) throws(SlipwayError) -> CanaryRecord? {
        try reading("cannot read the store's canaries") { connection, logger in
            try await Self.canary(component: component, environment: environment, on: connection, logger: logger)
        }
    }

    /// Saves `canary` (replacing the one of its component and environment) and appends `event`
    /// with it, in one transaction.
    public func save(_ canary: CanaryRecord, event: NewEvent?) throws(SlipwayError) {
        try writing("cannot save a canary in the store") { connection, logger in
            _ = try await connection.query("""
                INSERT INTO slipway.canaries (
                    component, environment, run_id, version, canary_color, stable_color, progress, updated_at)
                VALUES (
                    \(canary.component), \(canary.environment), \(canary.runID), \(canary.version), \(canary.canaryColor),
                    \(canary.stableColor), \(canary.progress), \(canary.updatedAt))
                ON CONFLICT (component, environment) DO UPDATE SET
                    run_id = EXCLUDED.run_id, version = EXCLUDED.version, canary_color = EXCLUDED.canary_color,
                    stable_color = EXCLUDED.stable_color, progress = EXCLUDED.progress, updated_at = EXCLUDED.updated_at
                """, logger: logger)
            if let event { _ = try await self.append([event], on: connection, logger: logger) }
        }
    }

    /// Queues `command` for the canary of `component` in `environment`, as the database login;
    /// refused when none is in progress (no canary, its progress finished or unreadable, or its
    /// run no longer running).
    public func request(_ command: CanaryCommand.Kind, component: String, environment: String) throws(SlipwayError) {
        try writing("cannot queue a canary command in the store") { connection, logger in
            // Under the append lock: the run cannot finish, nor the canary change, between this
            // check and the insert.
            let canary = try await Self.canary(component: component, environment: environment, on: connection, logger: logger)
            var inProgress = false
            if let canary, let progress = canary.decodedProgress, !progress.isFinished {
                let state = try await connection.query("SELECT state FROM slipway.runs WHERE id = \(canary.runID)", logger: logger)
                    .decode(String.self).first { _ in true }
                inProgress = state == RunState.running.rawValue
            }
            guard inProgress else { throw SlipwayError(.noCanaryInProgress(component: component, environment: environment)) }
            _ = try await connection.query("""
                INSERT INTO slipway.canary_commands (component, environment, command, actor, requested_at)
                VALUES (\(component), \(environment), \(command.rawValue), current_user, \(Date()))
                """, logger: logger)
        }
    }

    /// Takes (and removes) the commands queued for a canary, oldest first: one transaction, so
    /// of two agents taking at once each command goes to one.
    public func takeCanaryCommands(component: String, environment: String) throws(SlipwayError) -> [CanaryCommand] {
        try writing("cannot take canary commands from the store") { connection, logger in
            let rows = try await connection.query("""
                DELETE FROM slipway.canary_commands WHERE component = \(component) AND environment = \(environment)
                RETURNING id, component, environment, command, actor, requested_at
                """, logger: logger).decode((Int64, String, String, String, String, Date).self)
            var commands: [CanaryCommand] = []
            for try await (id, component, environment, command, actor, requestedAt) in rows {
                var taken = CanaryCommand(
                    component: component, environment: environment,
                    command: try Self.localValue(command, as: CanaryCommand.Kind.self, column: "canary_commands.command"),
                    actor: actor, requestedAt: requestedAt)
                taken.id = id
                commands.append(taken)
            }
            // RETURNING promises no order; ids are drawn in the order commands were queued.
            return commands.sorted { ($0.id ?? 0) < ($1.id ?? 0) }
        }
    }

    // MARK: Decoding

    private static let canaryColumns = "component, environment, run_id, version, canary_color, stable_color, progress, updated_at"

    private static func canary(
        component: String, environment: String, on connection: PostgresConnection, logger: Logger
    ) async throws -> CanaryRecord? {
        try await canaries(
            "SELECT \(unescaped: canaryColumns) FROM slipway.canaries WHERE component = \(component) AND environment = \(environment)",
            on: connection, logger: logger
        ).first
    }

    private static func canaries(_ query: PostgresQuery, on connection: PostgresConnection, logger: Logger) async throws -> [CanaryRecord] {
        var canaries: [CanaryRecord] = []
        let rows = try await connection.query(query, logger: logger)
            .decode((String, String, String, String, String, String, String, Date).self)
        for try await (component, environment, runID, version, canaryColor, stableColor, progress, updatedAt) in rows {
            canaries.append(CanaryRecord(
                component: component, environment: environment, runID: runID, version: version, canaryColor: canaryColor,
                stableColor: stableColor, progress: progress, updatedAt: updatedAt))
        }
        return canaries
    }
}
