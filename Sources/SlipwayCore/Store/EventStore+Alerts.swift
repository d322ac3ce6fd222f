import Foundation
import GRDB

/// Alerts: each is an event, and one outbox row per configured sink that the agent drains with
/// retry and backoff, so raising an alert never waits on a sink.
extension EventStore {
    /// One pending delivery.
    public struct AlertDelivery: Sendable, Equatable {
        public var id: Int64
        public var sink: String
        public var payload: String
        public var attempts: Int
    }

    /// Records `alert` as an event and queues it for `sinks`, in one transaction.
    public func raise(_ alert: Alert, sinks: [String]) throws(SlipwayError) {
        do {
            try pool.write { db in try self.raise(alert, sinks: sinks, in: db) }
        } catch {
            throw failure(error)
        }
    }

    func raise(_ alert: Alert, sinks: [String], in db: Database) throws {
        _ = try append([NewEvent(
            .alertRaised, component: alert.component, environment: alert.environment,
            details: EventDetails(
                stage: alert.rule, outcome: alert.severity.rawValue, reason: alert.message, change: alert.change,
                objective: alert.objective))], in: db)
        for sink in sinks {
            try db.execute(
                sql: "INSERT INTO alert_outbox (sink, payload, next_attempt_at, created_at) VALUES (?, ?, ?, ?)",
                arguments: [sink, alert.json, alert.time, alert.time])
        }
    }

    /// Deliveries due at `now`, oldest first.
    public func dueDeliveries(at now: Date = Date(), limit: Int = 100) throws(SlipwayError) -> [AlertDelivery] {
        do {
            return try pool.read { db in
                try Row.fetchAll(db, sql: """
                    SELECT id, sink, payload, attempts FROM alert_outbox
                    WHERE delivered_at IS NULL AND next_attempt_at <= ? ORDER BY id LIMIT ?
                    """, arguments: [now, limit]
                ).map { AlertDelivery(id: $0["id"], sink: $0["sink"], payload: $0["payload"], attempts: $0["attempts"]) }
            }
        } catch {
            throw failure(error)
        }
    }

    /// Records the outcome of one attempt: delivered, or failed with the time of the next try.
    public func recordAttempt(_ id: Int64, error: String?, nextAttempt: Date, at now: Date = Date()) throws(SlipwayError) {
        do {
            try pool.write { db in
                if let error {
                    try db.execute(
                        sql: "UPDATE alert_outbox SET attempts = attempts + 1, last_error = ?, next_attempt_at = ? WHERE id = ?",
                        arguments: [error, nextAttempt, id])
                } else {
                    try db.execute(
                        sql: "UPDATE alert_outbox SET attempts = attempts + 1, delivered_at = ?, last_error = NULL WHERE id = ?",
                        arguments: [now, id])
                }
            }
        } catch {
            throw failure(error)
        }
    }

    /// Counts of the outbox: delivered and still pending.
    public func outboxCounts() throws(SlipwayError) -> (delivered: Int, pending: Int) {
        do {
            return try pool.read { db in
                let delivered = try Int.fetchOne(db, sql: "SELECT COUNT(*) FROM alert_outbox WHERE delivered_at IS NOT NULL") ?? 0
                let pending = try Int.fetchOne(db, sql: "SELECT COUNT(*) FROM alert_outbox WHERE delivered_at IS NULL") ?? 0
                return (delivered, pending)
            }
        } catch {
            throw failure(error)
        }
    }
}
