import Foundation
import GRDB

/// Runs, their deploy locks, heartbeats and output: the operational side of the store.
extension SQLiteStore {
    /// Records `run` as started and, when it deploys, takes the component's deploy lock, in one
    /// transaction. A lock held by a live run refuses; one left by a dead run is freed first.
    public func begin(_ run: RunRecord, lock: Bool, details: EventDetails) throws(SlipwayError) {
        let refusal: SlipwayError?
        do {
            refusal = try pool.write { db -> SlipwayError? in
                _ = try self.reapInterruptedRuns(in: db)
                if lock, let component = run.component, let environment = run.environment {
                    if let holder = try DeployLock.fetchOne(db, key: ["component": component, "environment": environment]) {
                        let holderRun = try RunRecord.fetchOne(db, key: holder.runID)
                        return SlipwayError(.lockHeld(.init(
                            component: component, environment: environment, runID: holder.runID, actor: holder.actor,
                            pid: holderRun?.pid, host: holderRun?.host, since: holder.acquiredAt)))
                    }
                    try DeployLock(
                        component: component, environment: environment, runID: run.id, actor: run.actor,
                        acquiredAt: run.startedAt
                    ).insert(db)
                }
                try run.insert(db)
                _ = try self.append([NewEvent(
                    .runStarted, component: run.component, environment: run.environment, runID: run.id,
                    details: details, time: run.startedAt)], in: db)
                return nil
            }
        } catch {
            throw failure(error)
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
        do {
            try pool.write { db in
                try db.execute(
                    sql: "UPDATE runs SET state = ?, finished_at = ?, reason = ? WHERE id = ? AND state = 'running'",
                    arguments: [state.rawValue, StoredMoment(Date()), reason.map(self.masker.mask), runID])
                try db.execute(sql: "DELETE FROM locks WHERE run_id = ?", arguments: [runID])
                _ = try self.append(events, in: db)
            }
        } catch {
            throw failure(error)
        }
    }

    /// Refreshes the run's heartbeat; answers whether someone asked to cancel it.
    public func heartbeat(runID: String) throws(SlipwayError) -> Bool {
        do {
            return try pool.write { db in
                try db.execute(sql: "UPDATE runs SET heartbeat_at = ? WHERE id = ?", arguments: [StoredMoment(Date()), runID])
                return try Bool.fetchOne(db, sql: "SELECT cancel_requested FROM runs WHERE id = ?", arguments: [runID]) ?? false
            }
        } catch {
            throw failure(error)
        }
    }

    /// Asks a running run to stop. The run's own process notices at its next heartbeat.
    public func requestCancel(runID: String) throws(SlipwayError) -> RunRecord {
        do {
            return try pool.write { db in
                guard let run = try RunRecord.fetchOne(db, key: runID) else {
                    throw SlipwayError(.unknownRun(runID))
                }
                guard run.state == .running else {
                    throw SlipwayError(.runNotRunning(id: runID, state: run.state))
                }
                try db.execute(sql: "UPDATE runs SET cancel_requested = 1 WHERE id = ?", arguments: [runID])
                _ = try self.append([NewEvent(
                    .cancelRequested, component: run.component, environment: run.environment, runID: runID,
                    details: EventDetails(runKind: run.kind, version: run.version))], in: db)
                return run
            }
        } catch {
            throw failure(error)
        }
    }

    /// Marks runs whose process is gone as interrupted and frees their locks.
    @discardableResult
    public func reapInterruptedRuns() throws(SlipwayError) -> [RunRecord] {
        do {
            // Most of the time nothing is to be reaped: only then take the write lock.
            let now = Date()
            let anyDead = try pool.read { db in
                try RunRecord.filter(Column("state") == RunState.running.rawValue).fetchAll(db)
                    .contains { !$0.process.isAlive(lastHeartbeat: $0.heartbeatAt, now: now) }
            }
            guard anyDead else { return [] }
            return try pool.write { db in try self.reapInterruptedRuns(in: db) }
        } catch {
            throw failure(error)
        }
    }

    func reapInterruptedRuns(in db: Database) throws -> [RunRecord] {
        let now = Date()
        // A run an agent of this host executes is not reaped: the next agent here takes it over
        // from its checkpoint. One executed on another host is, once its heartbeats stop: only
        // that host's agents could take it over, and its deploy lock must not wait on a host that
        // may never come back.
        let takenOver = try Set(String.fetchAll(
            db, sql: "SELECT id FROM run_requests WHERE state = 'claimed' AND (executor_host IS NULL OR executor_host = ?)",
            arguments: [ProcessIdentity.hostName]))
        let dead = try RunRecord.filter(Column("state") == RunState.running.rawValue).fetchAll(db)
            .filter { !takenOver.contains($0.id) && !$0.process.isAlive(lastHeartbeat: $0.heartbeatAt, now: now) }
        for run in dead {
            let reason = run.interruptionReason
            try db.execute(
                sql: "UPDATE runs SET state = 'interrupted', finished_at = ?, reason = ? WHERE id = ?",
                arguments: [StoredMoment(now), reason, run.id])
            try db.execute(sql: "DELETE FROM locks WHERE run_id = ?", arguments: [run.id])
            // Ended for good: an agent of its host coming back does not resume it.
            try db.execute(sql: "UPDATE run_requests SET state = 'done' WHERE id = ? AND state = 'claimed'", arguments: [run.id])
            let steps = try endStepsOfReapedRun(run.id, at: now, in: db)
            _ = try append(steps.map(\.finishedEvent) + [NewEvent(
                .runFinished, component: run.component, environment: run.environment, runID: run.id,
                details: EventDetails(runKind: run.kind, version: run.version, outcome: "interrupted", reason: reason))], in: db)
        }
        return dead
    }

    /// Runs, newest first.
    public func runs(limit: Int) throws(SlipwayError) -> [RunRecord] {
        do {
            return try pool.read { db in
                try RunRecord.fetchAll(db, orderedBy: "started_at DESC, id DESC", limit: limit)
            }
        } catch {
            throw failure(error)
        }
    }

    public func run(id: String) throws(SlipwayError) -> RunRecord {
        let found: RunRecord?
        do {
            found = try pool.read { db in try RunRecord.fetchOne(db, key: id) }
        } catch {
            throw failure(error)
        }
        guard let found else { throw SlipwayError(.unknownRun(id)) }
        return found
    }

    public func lock(component: String, environment: String) throws(SlipwayError) -> DeployLock? {
        do {
            return try pool.read { db in
                try DeployLock.fetchOne(db, key: ["component": component, "environment": environment])
            }
        } catch {
            throw failure(error)
        }
    }

    // MARK: Output

    /// Stores lines of a run's output (masking secrets), numbered from `firstSequence`.
    public func appendOutput(runID: String, firstSequence: Int, lines: [String], time: Date) throws(SlipwayError) {
        guard !lines.isEmpty else { return }
        do {
            try pool.write { db in
                let insert = try db.cachedStatement(sql: "INSERT INTO run_output (run_id, seq, time, line) VALUES (?, ?, ?, ?)")
                let milliseconds = Int64((time.timeIntervalSince1970 * 1000).rounded())
                for (offset, line) in lines.enumerated() {
                    try insert.execute(arguments: [runID, firstSequence + offset, milliseconds, self.masker.mask(line)])
                }
            }
        } catch {
            throw failure(error)
        }
    }

    /// The number of a run's last stored output line (-1 when none).
    public func lastOutputSequence(runID: String) throws(SlipwayError) -> Int {
        do {
            return try pool.read { db in
                try Int.fetchOne(db, sql: "SELECT MAX(seq) FROM run_output WHERE run_id = ?", arguments: [runID]) ?? -1
            }
        } catch {
            throw failure(error)
        }
    }

    /// The run `id`, or nil when it has not begun.
    public func runIfBegun(id: String) throws(SlipwayError) -> RunRecord? {
        do {
            return try pool.read { db in try RunRecord.fetchOne(db, key: id) }
        } catch {
            throw failure(error)
        }
    }

    /// A run's output after line `sequence`, oldest first.
    public func output(runID: String, after sequence: Int) throws(SlipwayError) -> [OutputLine] {
        do {
            return try pool.read { db in
                try Row.fetchAll(
                    db, sql: "SELECT seq, time, line FROM run_output WHERE run_id = ? AND seq > ? ORDER BY seq",
                    arguments: [runID, sequence]
                ).map { OutputLine(sequence: $0["seq"], time: Date(milliseconds: $0["time"]), text: $0["line"]) }
            }
        } catch {
            throw failure(error)
        }
    }
}
