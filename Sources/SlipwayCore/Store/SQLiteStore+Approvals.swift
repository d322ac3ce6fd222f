import Foundation
import GRDB

/// The two-person rule in the store: a request recorded awaiting approval becomes pending (an
/// agent may take it) once enough approvers approve it, or ends denied or expired. Who may
/// approve is the engine's question (`Engine.approve(requestID:)`); these only keep the record.
extension SQLiteStore {
    /// Requests awaiting approval, oldest first; a read only, so some may be past their time
    /// (`expireOverdueApprovals(now:)` ends those).
    public func requestsAwaitingApproval() throws(SlipwayError) -> [RequestRecord] {
        do {
            return try pool.read { db in
                try RequestRecord.fetchAll(
                    db, where: "state = ?", arguments: [RequestRecord.State.awaitingApproval.rawValue], orderedBy: "requested_at, id")
            }
        } catch {
            throw failure(error)
        }
    }

    /// Ends each request awaiting approval whose time is up as expired, with `request.expired`.
    public func expireOverdueApprovals(now: Date) throws(SlipwayError) {
        do {
            try pool.write { db in
                let overdue = try RequestRecord.filter(Column("state") == RequestRecord.State.awaitingApproval.rawValue)
                    .filter(Column("expires_at") <= StoredMoment(now)).fetchAll(db)
                for var record in overdue {
                    let timeout = DurationText.format(record.expiresAt.map { $0.timeIntervalSince(record.requestedAt) } ?? 0)
                    let reason = "not approved within \(timeout) (\(record.approvedBy.count) of \(record.approvalsNeeded) approvals)"
                    record.state = .expired
                    record.error = "request \(record.id): \(record.request.title) expired: \(reason)"
                    try record.update(db)
                    _ = try self.append([RequestRecord.decisionEvent(.requestExpired, record, reason: reason)], in: db)
                }
            }
        } catch {
            throw failure(error)
        }
    }

    /// Adds this store's actor to the request's approvers, with `request.approved`; with the
    /// last approval it needs, the request becomes pending for an agent to take.
    @discardableResult
    public func approve(requestID id: String, now: Date) throws(SlipwayError) -> RequestRecord {
        try expireOverdueApprovals(now: now)
        do {
            return try pool.write { db in
                var record = try Self.awaiting(id, db)
                try record.approve(by: actor, at: now)
                try record.update(db)
                _ = try self.append([RequestRecord.decisionEvent(
                    .requestApproved, record, outcome: "\(record.approvedBy.count)/\(record.approvalsNeeded)")], in: db)
                return record
            }
        } catch {
            throw failure(error)
        }
    }

    /// Ends the request as denied by this store's actor for `reason`, with `request.denied`.
    @discardableResult
    public func deny(requestID id: String, reason: String, now: Date) throws(SlipwayError) -> RequestRecord {
        try expireOverdueApprovals(now: now)
        do {
            return try pool.write { db in
                var record = try Self.awaiting(id, db)
                record.state = .denied
                record.error = "request \(id): \(record.request.title) was denied by \(actor): \(masker.mask(reason))"
                try record.update(db)
                _ = try self.append([RequestRecord.decisionEvent(.requestDenied, record, reason: masker.mask(reason))], in: db)
                return record
            }
        } catch {
            throw failure(error)
        }
    }

    private static func awaiting(_ id: String, _ db: Database) throws -> RequestRecord {
        guard let record = try RequestRecord.fetchOne(db, key: id) else { throw SlipwayError(.unknownRequest(id)) }
        guard record.awaitsApproval else {
            let state = record.state == .pending || record.state == .claimed ? "approved" : record.state.rawValue
            throw SlipwayError(.notAwaitingApproval(requestID: id, title: record.request.title, state: state))
        }
        return record
    }
}
