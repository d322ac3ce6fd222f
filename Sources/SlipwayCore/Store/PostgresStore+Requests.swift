import Foundation
import Logging
import PostgresNIO

/// Run requests on the shared store, as on the embedded one (`SQLiteStore+Requests`): recorded
/// by whoever asks, claimed by one agent (claims are writes, one at a time under the append lock,
/// so two agents never both take a request), and taken over when the agent executing one dies.
extension PostgresStore {
    /// Records `request` as pending (awaiting approval under `approvalRule`), with its
    /// `run.requested` event, and returns its id (also the id of the run that will execute it).
    @discardableResult
    public func record(
        _ request: RunRequest, id: String, origin: String, noWait: Bool, approvalRule: ApprovalRule?, now: Date
    ) throws(SlipwayError) -> RequestRecord {
        var record = RequestRecord(
            id: id, request: request, actor: actor, origin: origin, requestedAt: now,
            state: approvalRule == nil ? .pending : .awaitingApproval, noWait: noWait, errorIsUsage: false)
        record.requesterHost = ProcessIdentity.hostName
        if let approvalRule {
            record.approvalsNeeded = approvalRule.approvals
            record.expiresAt = now.addingTimeInterval(approvalRule.timeout)
        }
        let inserted = record
        try writing("cannot record request \(id)") { connection, logger in
            let asked = try Self.requestColumnText(inserted.request)
            let approvers = try Self.requestColumnText(inserted.approvedBy)
            try await connection.query("""
                INSERT INTO slipway.run_requests (\(unescaped: Self.requestColumns)) VALUES (
                    \(inserted.id), \(asked), \(inserted.actor), \(inserted.origin), \(inserted.requestedAt), \(inserted.state.rawValue),
                    NULL, NULL, \(inserted.noWait), NULL, NULL, false, \(Int32(inserted.approvalsNeeded)), \(approvers),
                    \(inserted.expiresAt), NULL, NULL, \(inserted.requesterHost))
                """, logger: logger)
            _ = try await self.append([NewEvent(
                .runRequested, component: request.component, environment: request.environment, runID: id,
                details: EventDetails(runKind: request.runKind, origin: origin, request: request))], on: connection, logger: logger)
        }
        return record
    }

    public func request(id: String) throws(SlipwayError) -> RequestRecord {
        let found = try reading("cannot read request \(id)") { connection, logger in
            try await Self.request(id: id, on: connection, logger: logger)
        }
        guard let found else { throw SlipwayError(.unknownRequest(id)) }
        return found
    }

    static func request(id: String, on connection: PostgresConnection, logger: Logger) async throws -> RequestRecord? {
        try await requestRecords(from: connection.query(
            "SELECT \(unescaped: requestColumns) FROM slipway.run_requests WHERE id = \(id)", logger: logger)).first
    }

    /// Takes `id` for execution by `executor`: a pending request, or a claimed one whose agent is
    /// gone. Nil when another live process has it or it has ended.
    public func claim(requestID id: String, by executor: ProcessIdentity) throws(SlipwayError) -> RequestRecord? {
        try writing("cannot claim request \(id)") { connection, logger -> RequestRecord? in
            guard var record = try await Self.request(id: id, on: connection, logger: logger) else { return nil }
            guard record.state == .pending || (record.state == .claimed && record.executorIsGone) else { return nil }
            record.state = .claimed
            record.executorPID = executor.pid
            record.executorStart = executor.startTime
            record.executorHost = executor.host
            try await connection.query("""
                UPDATE slipway.run_requests SET state = 'claimed', executor_pid = \(Int64(executor.pid)),
                    executor_start = \(executor.startTime), executor_host = \(executor.host)
                WHERE id = \(id)
                """, logger: logger)
            return record
        }
    }

    /// Requests no live process executes: pending ones, and claimed ones whose agent died.
    public func orphanedRequests() throws(SlipwayError) -> [RequestRecord] {
        try reading("cannot read the store's requests") { connection, logger in
            try await Self.requestRecords(from: connection.query("""
                SELECT \(unescaped: Self.requestColumns) FROM slipway.run_requests
                WHERE state IN ('pending', 'claimed') ORDER BY requested_at, id
                """, logger: logger))
        }.filter { $0.state == .pending || $0.executorIsGone }
    }

    public func saveCheckpoint(_ checkpoint: RunCheckpoint, requestID id: String) throws(SlipwayError) {
        let text = (try? Self.requestColumnText(checkpoint)) ?? "null"
        try writing("cannot save request \(id)'s checkpoint") { connection, logger in
            _ = try await connection.query("UPDATE slipway.run_requests SET checkpoint = \(text) WHERE id = \(id)", logger: logger)
        }
    }

    /// Marks the request ended: `refusal` when it was refused before its run began, recorded
    /// with `request.rejected` unless the refusal is in the audit already (`deploy.refused`).
    public func finish(requestID id: String, refusal: SlipwayError?) throws(SlipwayError) {
        let reason = refusal.map { masker.mask($0.message) }
        let state = refusal == nil ? RequestRecord.State.done : .rejected
        let isUsage = refusal?.category == .usage
        try writing("cannot finish request \(id)") { connection, logger in
            let updated = try await connection.query("""
                UPDATE slipway.run_requests SET state = \(state.rawValue), error = \(reason), error_is_usage = \(isUsage)
                WHERE id = \(id) RETURNING request
                """, logger: logger).decode(String.self).first { _ in true }
            guard let reason, updated != nil, let record = try await Self.request(id: id, on: connection, logger: logger) else { return }
            let recorded = try await connection.query(
                "SELECT EXISTS (SELECT 1 FROM slipway.events WHERE run_id = \(id) AND kind = \(EventKind.deployRefused.rawValue))",
                logger: logger
            ).decode(Bool.self).first { _ in true } ?? false
            guard !recorded else { return }
            _ = try await self.append([NewEvent(
                .requestRejected, component: record.request.component, environment: record.request.environment, runID: id,
                details: EventDetails(runKind: record.request.runKind, stage: record.request.title, reason: reason))],
                on: connection, logger: logger)
        }
    }

    /// Cancels a request whose run has not begun; false when it has (cancel the run instead) or ended.
    public func cancelBeforeRun(requestID id: String) throws(SlipwayError) -> Bool {
        try writing("cannot cancel request \(id)") { connection, logger in
            guard try await Self.run(id: id, on: connection, logger: logger) == nil else { return false }
            let cancelled = try await connection.query("""
                UPDATE slipway.run_requests SET state = 'cancelled'
                WHERE id = \(id) AND state IN ('pending', 'claimed', 'awaiting_approval') RETURNING id
                """, logger: logger).decode(String.self).first { _ in true }
            return cancelled != nil
        }
    }

    /// Hands a running run over to `executor` (a new agent resuming it), with a `run.resumed` event.
    public func adopt(runID: String, by executor: ProcessIdentity, stage: String?) throws(SlipwayError) {
        try writing("cannot hand run \(runID) over") { connection, logger in
            try await connection.query("""
                UPDATE slipway.runs SET host = \(executor.host), pid = \(Int64(executor.pid)), pid_start_time = \(executor.startTime),
                    heartbeat_at = \(Date())
                WHERE id = \(runID)
                """, logger: logger)
            let run = try await Self.run(id: runID, on: connection, logger: logger)
            _ = try await self.append([NewEvent(
                .runResumed, component: run?.component, environment: run?.environment, runID: runID,
                details: EventDetails(runKind: run?.kind, version: run?.version, stage: stage, pid: Int(executor.pid)))],
                on: connection, logger: logger)
        }
    }
}
