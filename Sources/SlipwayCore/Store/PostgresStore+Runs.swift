import Foundation
import Logging
import PostgresNIO

/// Runs, their deploy locks, heartbeats and output on the shared store, as on the embedded one
/// (`SQLiteStore+Runs`). A run of another host is alive while its heartbeat is fresh, so the
/// locks of a host that died are freed once its heartbeats stop.
extension PostgresStore {
    /// Records `run` as started and, when it deploys, takes the component's deploy lock, in one
    /// transaction. A lock held by a live run refuses; one left by a dead run is freed first.
    public func begin(_ run: RunRecord, lock: Bool, details: EventDetails) throws(SlipwayError) {
        let refusal = try writing("cannot begin run \(run.id)") { connection, logger -> SlipwayError? in
            _ = try await self.reapInterruptedRuns(on: connection, logger: logger)
            if lock, let component = run.component, let environment = run.environment {
                let held = try await Self.deployLocks(from: connection.query(
                    "SELECT \(unescaped: Self.lockColumns) FROM slipway.locks WHERE component = \(component) AND environment = \(environment)",
                    logger: logger))
                if let holder = held.first {
                    let holderRun = try await Self.run(id: holder.runID, on: connection, logger: logger)
                    return SlipwayError(.lockHeld(.init(
                        component: component, environment: environment, runID: holder.runID, actor: holder.actor,
                        pid: holderRun?.pid, host: holderRun?.host, since: holder.acquiredAt)))
                }
                try await connection.query("""
                    INSERT INTO slipway.locks (component, environment, run_id, actor, acquired_at)
                    VALUES (\(component), \(environment), \(run.id), \(run.actor), \(run.startedAt))
                    """, logger: logger)
            }
            try await connection.query("""
                INSERT INTO slipway.runs (\(unescaped: Self.runColumns)) VALUES (
                    \(run.id), \(run.kind.rawValue), \(run.component), \(run.environment), \(run.version), \(run.state.rawValue),
                    \(run.actor), \(run.origin), \(run.host), \(Int64(run.pid)), \(run.pidStartTime), \(run.startedAt),
                    \(run.heartbeatAt), \(run.finishedAt), \(run.cancelRequested), \(run.reason))
                """, logger: logger)
            _ = try await self.append([NewEvent(
                .runStarted, component: run.component, environment: run.environment, runID: run.id,
                details: details, time: run.startedAt)], on: connection, logger: logger)
            return nil
        }
        if let refusal {
            // The refusal is part of the audit trail too.
            try append(NewEvent(
                .deployRefused, component: run.component, environment: run.environment, runID: run.id,
                details: EventDetails(runKind: run.kind, version: run.version, reason: refusal.message)))
            throw refusal
        }
    }

    /// Marks the run finished, frees its lock and appends `events` (which end with `run.finished`).
    public func finish(runID: String, state: RunState, reason: String?, events: [NewEvent]) throws(SlipwayError) {
        let reason = reason.map(masker.mask)
        try writing("cannot finish run \(runID)") { connection, logger in
            try await connection.query("""
                UPDATE slipway.runs SET state = \(state.rawValue), finished_at = \(Date()), reason = \(reason)
                WHERE id = \(runID) AND state = 'running'
                """, logger: logger)
            try await connection.query("DELETE FROM slipway.locks WHERE run_id = \(runID)", logger: logger)
            _ = try await self.append(events, on: connection, logger: logger)
        }
    }

    /// Refreshes the run's heartbeat; answers whether someone asked to cancel it.
    public func heartbeat(runID: String) throws(SlipwayError) -> Bool {
        try writing("cannot record run \(runID)'s heartbeat") { connection, logger in
            try await connection.query(
                "UPDATE slipway.runs SET heartbeat_at = \(Date()) WHERE id = \(runID) RETURNING cancel_requested", logger: logger
            ).decode(Bool.self).first { _ in true } ?? false
        }
    }

    /// Asks a running run to stop. The run's own process notices at its next heartbeat.
    public func requestCancel(runID: String) throws(SlipwayError) -> RunRecord {
        try writing("cannot cancel run \(runID)") { connection, logger in
            guard let run = try await Self.run(id: runID, on: connection, logger: logger) else {
                throw SlipwayError(.unknownRun(runID))
            }
            guard run.state == .running else {
                throw SlipwayError(.runNotRunning(id: runID, state: run.state))
            }
            try await connection.query("UPDATE slipway.runs SET cancel_requested = true WHERE id = \(runID)", logger: logger)
            _ = try await self.append([NewEvent(
                .cancelRequested, component: run.component, environment: run.environment, runID: runID,
                details: EventDetails(runKind: run.kind, version: run.version))], on: connection, logger: logger)
            return run
        }
    }

    /// Marks runs whose process is gone as interrupted and frees their locks.
    @discardableResult
    public func reapInterruptedRuns() throws(SlipwayError) -> [RunRecord] {
        // Most of the time nothing is to be reaped: only then take the append lock.
        let now = Date()
        let anyDead = try reading("cannot read the store's runs") { connection, logger in
            try await Self.reapable(on: connection, logger: logger).contains { !$0.process.isAlive(lastHeartbeat: $0.heartbeatAt, now: now) }
        }
        guard anyDead else { return [] }
        return try writing("cannot reap interrupted runs") { connection, logger in
            try await self.reapInterruptedRuns(on: connection, logger: logger)
        }
    }

    /// Reaps inside a `writing` transaction: the runs it marked interrupted.
    func reapInterruptedRuns(on connection: PostgresConnection, logger: Logger) async throws -> [RunRecord] {
        let now = Date()
        let dead = try await Self.reapable(on: connection, logger: logger)
            .filter { !$0.process.isAlive(lastHeartbeat: $0.heartbeatAt, now: now) }
        var events: [NewEvent] = []
        for run in dead {
            let reason = run.interruptionReason
            try await connection.query("""
                UPDATE slipway.runs SET state = 'interrupted', finished_at = \(now), reason = \(reason) WHERE id = \(run.id)
                """, logger: logger)
            try await connection.query("DELETE FROM slipway.locks WHERE run_id = \(run.id)", logger: logger)
            // Ended for good: an agent of its host coming back does not resume it.
            try await connection.query(
                "UPDATE slipway.run_requests SET state = 'done' WHERE id = \(run.id) AND state = 'claimed'", logger: logger)
            events += try await Self.endStepsOfReapedRun(run.id, at: now, on: connection, logger: logger).map(\.finishedEvent)
            events.append(NewEvent(
                .runFinished, component: run.component, environment: run.environment, runID: run.id,
                details: EventDetails(runKind: run.kind, version: run.version, outcome: "interrupted", reason: reason)))
        }
        _ = try await append(events, on: connection, logger: logger)
        return dead
    }

    /// Running runs that may be reaped when their process is gone: not those an agent of this
    /// host executes, which the next agent here takes over from their checkpoint; those of
    /// another host's agent once its heartbeats stop, as only that host could take them over and
    /// their deploy locks must not wait on a host that may never come back.
    private static func reapable(on connection: PostgresConnection, logger: Logger) async throws -> [RunRecord] {
        try await runRecords(from: connection.query("""
            SELECT \(unescaped: runColumns) FROM slipway.runs
            WHERE state = 'running' AND id NOT IN (
                SELECT id FROM slipway.run_requests
                WHERE state = 'claimed' AND (executor_host IS NULL OR executor_host = \(ProcessIdentity.hostName)))
            ORDER BY started_at, id
            """, logger: logger))
    }

    /// Runs, newest first.
    public func runs(limit: Int) throws(SlipwayError) -> [RunRecord] {
        let limit = Int64(limit)
        return try reading("cannot read the store's runs") { connection, logger in
            try await Self.runRecords(from: connection.query(
                "SELECT \(unescaped: Self.runColumns) FROM slipway.runs ORDER BY started_at DESC, id DESC LIMIT \(limit)", logger: logger))
        }
    }

    public func run(id: String) throws(SlipwayError) -> RunRecord {
        guard let found = try runIfBegun(id: id) else { throw SlipwayError(.unknownRun(id)) }
        return found
    }

    /// The run `id`, or nil when it has not begun.
    public func runIfBegun(id: String) throws(SlipwayError) -> RunRecord? {
        try reading("cannot read run \(id)") { connection, logger in try await Self.run(id: id, on: connection, logger: logger) }
    }

    static func run(id: String, on connection: PostgresConnection, logger: Logger) async throws -> RunRecord? {
        try await runRecords(from: connection.query(
            "SELECT \(unescaped: runColumns) FROM slipway.runs WHERE id = \(id)", logger: logger)).first
    }

    public func lock(component: String, environment: String) throws(SlipwayError) -> DeployLock? {
        try reading("cannot read the store's deploy locks") { connection, logger in
            try await Self.deployLocks(from: connection.query(
                "SELECT \(unescaped: Self.lockColumns) FROM slipway.locks WHERE component = \(component) AND environment = \(environment)",
                logger: logger)).first
        }
    }

    // MARK: Output

    /// Stores lines of a run's output (masking secrets), numbered from `firstSequence`.
    public func appendOutput(runID: String, firstSequence: Int, lines: [String], time: Date) throws(SlipwayError) {
        guard !lines.isEmpty else { return }
        let sequences = lines.indices.map { Int32(firstSequence + $0) }
        let masked = lines.map(masker.mask)
        let milliseconds = Int64((time.timeIntervalSince1970 * 1000).rounded())
        try writing("cannot store run \(runID)'s output") { connection, logger in
            _ = try await connection.query("""
                INSERT INTO slipway.run_output (run_id, seq, time, line)
                SELECT \(runID), seq, \(milliseconds), line FROM unnest(\(sequences)::integer[], \(masked)::text[]) AS lines (seq, line)
                """, logger: logger)
        }
    }

    /// The number of a run's last stored output line (-1 when none).
    public func lastOutputSequence(runID: String) throws(SlipwayError) -> Int {
        try reading("cannot read run \(runID)'s output") { connection, logger in
            let last = try await connection.query("SELECT MAX(seq) FROM slipway.run_output WHERE run_id = \(runID)", logger: logger)
                .decode(Int32?.self).first { _ in true }
            return (last ?? nil).map(Int.init) ?? -1
        }
    }

    /// A run's output after line `sequence`, oldest first.
    public func output(runID: String, after sequence: Int) throws(SlipwayError) -> [OutputLine] {
        let sequence = Int64(sequence)
        return try reading("cannot read run \(runID)'s output") { connection, logger in
            var lines: [OutputLine] = []
            let rows = try await connection.query(
                "SELECT seq, time, line FROM slipway.run_output WHERE run_id = \(runID) AND seq > \(sequence) ORDER BY seq",
                logger: logger
            ).decode((Int32, Int64, String).self)
            for try await (seq, time, line) in rows {
                lines.append(OutputLine(sequence: Int(seq), time: Date(milliseconds: time), text: line))
            }
            return lines
        }
    }
}
