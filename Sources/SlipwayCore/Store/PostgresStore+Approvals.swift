import Foundation
import Logging
import PostgresNIO

/// The two-person rule on the shared store, as on the embedded one (`SQLiteStore+Approvals`): an
/// approver is the database login, so one login approves a request once however many consoles it
/// runs.
extension PostgresStore {
    /// Requests awaiting approval, oldest first; a read only, so some may be past their time
    /// (`expireOverdueApprovals(now:)` ends those).
    public func requestsAwaitingApproval() throws(SlipwayError) -> [RequestRecord] {
        try reading("cannot read the store's requests") { connection, logger in
            try await Self.requestRecords(from: connection.query("""
                SELECT \(unescaped: Self.requestColumns) FROM slipway.run_requests
                WHERE state = 'awaiting_approval' ORDER BY requested_at, id
                """, logger: logger))
        }
    }

    /// Ends each request awaiting approval whose time is up as expired, with `request.expired`.
    public func expireOverdueApprovals(now: Date) throws(SlipwayError) {
        try writing("cannot expire overdue requests") { connection, logger in
            let overdue = try await Self.requestRecords(from: connection.query("""
                SELECT \(unescaped: Self.requestColumns) FROM slipway.run_requests
                WHERE state = 'awaiting_approval' AND expires_at <= \(now) ORDER BY requested_at, id
                """, logger: logger))
            var events: [NewEvent] = []
            for var record in overdue {
                let timeout = DurationText.format(record.expiresAt.map { $0.timeIntervalSince(record.requestedAt) } ?? 0)
                let reason = "not approved within \(timeout) (\(record.approvedBy.count) of \(record.approvalsNeeded) approvals)"
                record.state = .expired
                record.error = "request \(record.id): \(record.request.title) expired: \(reason)"
                try await Self.saveDecision(record, on: connection, logger: logger)
                events.append(RequestRecord.decisionEvent(.requestExpired, record, reason: reason))
            }
            _ = try await self.append(events, on: connection, logger: logger)
        }
    }

    /// Adds this store's login to the request's approvers, with `request.approved`; with the
    /// last approval it needs, the request becomes pending for an agent to take.
    @discardableResult
    public func approve(requestID id: String, now: Date) throws(SlipwayError) -> RequestRecord {
        try expireOverdueApprovals(now: now)
        let actor = actor
        return try writing("cannot approve request \(id)") { connection, logger in
            var record = try await Self.awaiting(id, on: connection, logger: logger)
            try record.approve(by: actor, at: now)
            try await Self.saveDecision(record, on: connection, logger: logger)
            _ = try await self.append([RequestRecord.decisionEvent(
                .requestApproved, record, outcome: "\(record.approvedBy.count)/\(record.approvalsNeeded)")], on: connection, logger: logger)
            return record
        }
    }

    /// Ends the request as denied by this store's login for `reason`, with `request.denied`.
    @discardableResult
    public func deny(requestID id: String, reason: String, now: Date) throws(SlipwayError) -> RequestRecord {
        try expireOverdueApprovals(now: now)
        let actor = actor
        let reason = masker.mask(reason)
        return try writing("cannot deny request \(id)") { connection, logger in
            var record = try await Self.awaiting(id, on: connection, logger: logger)
            record.state = .denied
            record.error = "request \(id): \(record.request.title) was denied by \(actor): \(reason)"
            try await Self.saveDecision(record, on: connection, logger: logger)
            _ = try await self.append([RequestRecord.decisionEvent(.requestDenied, record, reason: reason)], on: connection, logger: logger)
            return record
        }
    }

    private static func awaiting(_ id: String, on connection: PostgresConnection, logger: Logger) async throws -> RequestRecord {
        guard let record = try await request(id: id, on: connection, logger: logger) else { throw SlipwayError(.unknownRequest(id)) }
        guard record.awaitsApproval else {
            let state = record.state == .pending || record.state == .claimed ? "approved" : record.state.rawValue
            throw SlipwayError(.notAwaitingApproval(requestID: id, title: record.request.title, state: state))
        }
        return record
    }

    /// Writes what an approver's decision (or the clock) changed: the state, approvers and error.
    private static func saveDecision(_ record: RequestRecord, on connection: PostgresConnection, logger: Logger) async throws {
        let approvers = try requestColumnText(record.approvedBy)
        try await connection.query("""
            UPDATE slipway.run_requests SET state = \(record.state.rawValue), approved_by = \(approvers),
                approved_at = \(record.approvedAt), error = \(record.error)
            WHERE id = \(record.id)
            """, logger: logger)
    }
}
