import Foundation
import GRDB

/// Run requests: recorded by whoever asks, claimed and executed by an agent, and taken over by
/// the next agent when the one executing them dies.
extension SQLiteStore {
    /// Records `request` as pending (awaiting approval under `approvalRule`), with its
    /// `run.requested` event, and returns its id (also the id of the run that will execute it).
    @discardableResult
    public func record(
        _ request: RunRequest, id: String, origin: String, noWait: Bool,
        approvalRule: ApprovalRule?, now: Date
    ) throws(SlipwayError) -> RequestRecord {
        var record = RequestRecord(
            id: id, request: request, actor: actor, origin: origin, requestedAt: now,
            state: approvalRule == nil ? .pending : .awaitingApproval, noWait: noWait, errorIsUsage: false)
        record.requesterHost = ProcessIdentity.hostName
        if let approvalRule {
            record.approvalsNeeded = approvalRule.approvals
            record.expiresAt = now.addingTimeInterval(approvalRule.timeout)
        }
        do {
            try pool.write { db in
                try record.insert(db)
                _ = try self.append([NewEvent(
                    .runRequested, component: request.component, environment: request.environment, runID: id,
                    details: EventDetails(runKind: request.runKind, origin: origin, request: request))], in: db)
            }
        } catch {
            throw failure(error)
        }
        return record
    }

    public func request(id: String) throws(SlipwayError) -> RequestRecord {
        let found: RequestRecord?
        do {
            found = try pool.read { db in try RequestRecord.fetchOne(db, key: id) }
        } catch {
            throw failure(error)
        }
        guard let found else { throw SlipwayError(.unknownRequest(id)) }
        return found
    }

    /// Takes `id` for execution by `executor`: a pending request, or a claimed one whose agent is
    /// gone. Nil when another live process has it or it has ended.
    public func claim(requestID id: String, by executor: ProcessIdentity) throws(SlipwayError) -> RequestRecord? {
        do {
            return try pool.write { db -> RequestRecord? in
                guard var record = try RequestRecord.fetchOne(db, key: id) else { return nil }
                guard record.state == .pending || (record.state == .claimed && record.executorIsGone) else { return nil }
                record.state = .claimed
                record.executorPID = executor.pid
                record.executorStart = executor.startTime
                record.executorHost = executor.host
                try record.update(db)
                return record
            }
        } catch {
            throw failure(error)
        }
    }

    /// Requests no live process executes: pending ones, and claimed ones whose agent died.
    public func orphanedRequests() throws(SlipwayError) -> [RequestRecord] {
        do {
            return try pool.read { db in
                try RequestRecord.filter([RequestRecord.State.pending.rawValue, RequestRecord.State.claimed.rawValue]
                    .contains(Column("state")))
                    .order(Column("requested_at"), Column("id")).fetchAll(db)
            }.filter { $0.state == .pending || $0.executorIsGone }
        } catch {
            throw failure(error)
        }
    }

    public func saveCheckpoint(_ checkpoint: RunCheckpoint, requestID id: String) throws(SlipwayError) {
        let text = String(decoding: (try? JSONEncoder().encode(checkpoint)) ?? Data("null".utf8), as: UTF8.self)
        do {
            try pool.write { db in
                try db.execute(sql: "UPDATE run_requests SET checkpoint = ? WHERE id = ?", arguments: [text, id])
            }
        } catch {
            throw failure(error)
        }
    }

    /// Marks the request ended: `refusal` when it was refused before its run began, recorded
    /// with `request.rejected` unless the refusal is in the audit already (`deploy.refused`).
    public func finish(requestID id: String, refusal: SlipwayError?) throws(SlipwayError) {
        do {
            try pool.write { db in
                let reason = refusal.map { self.masker.mask($0.message) }
                try db.execute(
                    sql: "UPDATE run_requests SET state = ?, error = ?, error_is_usage = ? WHERE id = ?",
                    arguments: [
                        (refusal == nil ? RequestRecord.State.done : .rejected).rawValue, reason, refusal?.category == .usage, id,
                    ])
                guard let reason, db.changesCount > 0, let record = try RequestRecord.fetchOne(db, key: id) else { return }
                let recorded = try Bool.fetchOne(
                    db, sql: "SELECT EXISTS (SELECT 1 FROM events WHERE run_id = ? AND kind = ?)",
                    arguments: [id, EventKind.deployRefused.rawValue]) ?? false
                guard !recorded else { return }
                _ = try self.append([NewEvent(
                    .requestRejected, component: record.request.component, environment: record.request.environment, runID: id,
                    details: EventDetails(runKind: record.request.runKind, stage: record.request.title, reason: reason))], in: db)
            }
        } catch {
            throw failure(error)
        }
    }

    /// Cancels a request whose run has not begun; false when it has (cancel the run instead) or ended.
    public func cancelBeforeRun(requestID id: String) throws(SlipwayError) -> Bool {
        do {
            return try pool.write { db in
                guard try RunRecord.fetchOne(db, key: id) == nil else { return false }
                try db.execute(
                    sql: "UPDATE run_requests SET state = 'cancelled' WHERE id = ? AND state IN ('pending', 'claimed', 'awaiting_approval')",
                    arguments: [id])
                return db.changesCount > 0
            }
        } catch {
            throw failure(error)
        }
    }

    /// Hands a running run over to `executor` (a new agent resuming it), with a `run.resumed` event.
    public func adopt(runID: String, by executor: ProcessIdentity, stage: String?) throws(SlipwayError) {
        do {
            try pool.write { db in
                try db.execute(
                    sql: "UPDATE runs SET host = ?, pid = ?, pid_start_time = ?, heartbeat_at = ? WHERE id = ?",
                    arguments: [executor.host, executor.pid, executor.startTime, StoredMoment(Date()), runID])
                let run = try RunRecord.fetchOne(db, key: runID)
                _ = try self.append([NewEvent(
                    .runResumed, component: run?.component, environment: run?.environment, runID: runID,
                    details: EventDetails(runKind: run?.kind, version: run?.version, stage: stage, pid: Int(executor.pid)))], in: db)
            }
        } catch {
            throw failure(error)
        }
    }

    /// The stages of a run that finished and succeeded.
    public func succeededStages(runID: String) throws(SlipwayError) -> Set<String> {
        do {
            return try pool.read { db in
                let payloads = try String.fetchAll(
                    db, sql: "SELECT payload FROM events WHERE run_id = ? AND kind = 'stage.finished'", arguments: [runID])
                return Set(payloads.compactMap { payload in
                    guard let details = try? JSONDecoder().decode(EventDetails.self, from: Data(payload.utf8)),
                          details.outcome == "succeeded" else { return nil }
                    return details.stage
                })
            }
        } catch {
            throw failure(error)
        }
    }

    /// When `stage` of the run last started, if it did.
    public func startOfStage(_ stage: String, runID: String) throws(SlipwayError) -> Date? {
        do {
            return try pool.read { db in
                for row in try Row.fetchAll(
                    db, sql: "SELECT time, payload FROM events WHERE run_id = ? AND kind = 'stage.started' ORDER BY id DESC",
                    arguments: [runID])
                {
                    let payload: String = row["payload"]
                    if let details = try? JSONDecoder().decode(EventDetails.self, from: Data(payload.utf8)), details.stage == stage {
                        return Date(milliseconds: row["time"])
                    }
                }
                return nil
            }
        } catch {
            throw failure(error)
        }
    }
}
