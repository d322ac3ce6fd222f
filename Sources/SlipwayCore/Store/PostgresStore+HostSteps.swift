import Foundation
import Logging
import PostgresNIO

/// Hosts' steps of deploys to several hosts, on the shared store the hosts' agents all use.
extension PostgresStore {
    public func add(_ steps: [HostStep]) throws(SlipwayError) {
        try writing("cannot record hosts' steps in the store") { connection, logger in
            for step in steps { try await Self.save(step, on: connection, logger: logger) }
            _ = try await self.append(steps.map(\.requestedEvent), on: connection, logger: logger)
        }
    }

    /// Two UPDATE ... RETURNING, the first refusing the steps of runs that ended: of two agents
    /// claiming as the same host, each step goes to one.
    public func claimHostSteps(of host: String) throws(SlipwayError) -> [HostStep] {
        // Read first: an agent looks twice a second, and a write would take the append lock each time.
        let waiting = try reading("cannot read hosts' steps from the store") { connection, logger in
            try await connection.query("""
                SELECT EXISTS (SELECT 1 FROM slipway.host_steps WHERE host = \(host) AND state = \(HostStep.State.pending.rawValue))
                """, logger: logger).decode(Bool.self).first { _ in true } ?? false
        }
        guard waiting else { return [] }
        return try writing("cannot claim hosts' steps in the store") { connection, logger in
            let now = Date()
            let refused = try await Self.hostSteps("""
                UPDATE slipway.host_steps AS step
                SET state = \(HostStep.State.failed.rawValue), updated_at = \(now),
                    detail = format(\(HostStep.runEndedFormat), run.state)
                FROM slipway.runs AS run
                WHERE step.host = \(host) AND step.state = \(HostStep.State.pending.rawValue)
                  AND run.id = step.run_id AND run.state <> \(RunState.running.rawValue)
                RETURNING \(unescaped: Self.hostStepColumns(of: "step"))
                """, on: connection, logger: logger)
            if !refused.isEmpty { _ = try await self.append(refused.map(\.finishedEvent), on: connection, logger: logger) }
            let steps = try await Self.hostSteps("""
                UPDATE slipway.host_steps SET state = \(HostStep.State.working.rawValue), updated_at = \(now)
                WHERE host = \(host) AND state = \(HostStep.State.pending.rawValue)
                RETURNING \(unescaped: Self.hostStepColumns)
                """, on: connection, logger: logger)
            return steps.sorted { ($0.requestedAt, $0.runID, $0.kind.rawValue) < ($1.requestedAt, $1.runID, $1.kind.rawValue) }
        }
    }

    public func touchHostSteps(of host: String) throws(SlipwayError) {
        try writing("cannot touch hosts' steps in the store") { connection, logger in
            _ = try await connection.query("""
                UPDATE slipway.host_steps SET updated_at = \(Date())
                WHERE host = \(host) AND state = \(HostStep.State.working.rawValue)
                """, logger: logger)
        }
    }

    public func finish(_ step: HostStep) throws(SlipwayError) {
        try writing("cannot record a host's step in the store") { connection, logger in
            try await Self.save(step, on: connection, logger: logger)
            _ = try await self.append([step.finishedEvent], on: connection, logger: logger)
        }
    }

    /// Ends the steps of a run being reaped that nobody would end otherwise (see `HostStep.endedByReaping`).
    static func endStepsOfReapedRun(_ runID: String, at now: Date, on connection: PostgresConnection, logger: Logger) async throws -> [HostStep] {
        let ended = try await hostSteps(
            "SELECT \(unescaped: hostStepColumns) FROM slipway.host_steps WHERE run_id = \(runID) FOR UPDATE",
            on: connection, logger: logger
        ).compactMap { $0.endedByReaping(at: now) }
        for step in ended { try await save(step, on: connection, logger: logger) }
        return ended
    }

    public func hostSteps(ofRun runID: String) throws(SlipwayError) -> [HostStep] {
        try reading("cannot read hosts' steps from the store") { connection, logger in
            try await Self.hostSteps("""
                SELECT \(unescaped: Self.hostStepColumns) FROM slipway.host_steps WHERE run_id = \(runID)
                ORDER BY requested_at, host COLLATE "C", kind COLLATE "C"
                """, on: connection, logger: logger)
        }
    }

    // MARK: Rows

    private static let hostStepColumns = hostStepColumns(of: nil)

    /// The columns in `HostStep`'s order, each qualified by `table` when one is given.
    private static func hostStepColumns(of table: String?) -> String {
        ["run_id", "host", "kind", "state", "component", "environment", "version", "color", "detail", "requested_at", "updated_at"]
            .map { column in table.map { "\($0).\(column)" } ?? column }
            .joined(separator: ", ")
    }

    private static func save(_ step: HostStep, on connection: PostgresConnection, logger: Logger) async throws {
        _ = try await connection.query("""
            INSERT INTO slipway.host_steps (\(unescaped: hostStepColumns))
            VALUES (
                \(step.runID), \(step.host), \(step.kind.rawValue), \(step.state.rawValue), \(step.component), \(step.environment),
                \(step.version), \(step.color.rawValue), \(step.detail), \(step.requestedAt), \(step.updatedAt))
            ON CONFLICT (run_id, host, kind) DO UPDATE SET
                state = EXCLUDED.state, version = EXCLUDED.version, color = EXCLUDED.color, detail = EXCLUDED.detail,
                requested_at = EXCLUDED.requested_at, updated_at = EXCLUDED.updated_at
            """, logger: logger)
    }

    private static func hostSteps(_ query: PostgresQuery, on connection: PostgresConnection, logger: Logger) async throws -> [HostStep] {
        var steps: [HostStep] = []
        let rows = try await connection.query(query, logger: logger)
            .decode((String, String, String, String, String, String, String, String, String?, Date, Date).self)
        for try await (runID, host, kind, state, component, environment, version, color, detail, requestedAt, updatedAt) in rows {
            var step = HostStep(
                runID: runID, host: host, kind: try localValue(kind, as: HostStep.Kind.self, column: "host_steps.kind"),
                component: component, environment: environment, version: version,
                color: try localValue(color, as: SlotColor.self, column: "host_steps.color"), requestedAt: requestedAt)
            step.state = try localValue(state, as: HostStep.State.self, column: "host_steps.state")
            step.detail = detail
            step.updatedAt = updatedAt
            steps.append(step)
        }
        return steps
    }
}
