import Foundation
import GRDB

/// Alerts: each is an event, and one outbox row per sink its routes name that the agent drains
/// with retry and backoff, so raising an alert never waits on a sink. A silenced alert is
/// recorded (with the silence's id) and queued for no sink.
extension SQLiteStore {
    /// Records `alert` as an event and queues it for the sinks `routing` sends it to, in one transaction.
    public func raise(_ alert: Alert, routing: AlertSettings) throws(SlipwayError) {
        do {
            try pool.write { db in try self.raise(alert, routing: routing, in: db) }
        } catch {
            throw failure(error)
        }
    }

    func raise(_ alert: Alert, routing: AlertSettings, in db: Database) throws {
        let silence = try Self.silences(at: alert.time, in: db).first {
            $0.matches(component: alert.component, environment: alert.environment, severity: alert.severity)
        }
        _ = try append([NewEvent(
            .alertRaised, component: alert.component, environment: alert.environment,
            details: EventDetails(
                stage: alert.rule, outcome: alert.severity.rawValue, reason: alert.message, tag: silence?.id, change: alert.change,
                objective: alert.objective))], in: db)
        guard silence == nil else { return }
        for sink in routing.sinks(for: alert) {
            try db.execute(
                sql: "INSERT INTO alert_outbox (sink, payload, next_attempt_at, created_at) VALUES (?, ?, ?, ?)",
                arguments: [sink, alert.json, StoredMoment(alert.time), StoredMoment(alert.time)])
        }
    }

    // MARK: Silences

    /// Records `silence` and its `alert.silenced` event in one transaction.
    public func silence(_ silence: AlertSilence) throws(SlipwayError) {
        do {
            try pool.write { db in
                try db.execute(sql: """
                    INSERT INTO alert_silences (id, severity, component, environment, starts_at, ends_at, reason, actor)
                    VALUES (?, ?, ?, ?, ?, ?, ?, ?)
                    """, arguments: [
                        silence.id, silence.severity?.rawValue, silence.component, silence.environment,
                        StoredMoment(silence.startsAt), StoredMoment(silence.endsAt), silence.reason, self.actor,
                    ])
                _ = try self.append([NewEvent(
                    .alertSilenced, component: silence.component, environment: silence.environment,
                    details: EventDetails(
                        stage: silence.severity?.rawValue ?? "any", reason: silence.reason, tag: silence.id,
                        seconds: (silence.endsAt.timeIntervalSince(silence.startsAt) * 1000).rounded() / 1000),
                    time: silence.startsAt)], in: db)
            }
        } catch {
            throw failure(error)
        }
    }

    /// The silences in force at `moment`, the latest ending first.
    public func silences(at moment: Date) throws(SlipwayError) -> [AlertSilence] {
        do {
            return try pool.read { db in try Self.silences(at: moment, in: db) }
        } catch {
            throw failure(error)
        }
    }

    static func silences(at moment: Date, in db: Database) throws -> [AlertSilence] {
        try Row.fetchAll(db.cachedStatement(sql: """
            SELECT * FROM alert_silences WHERE starts_at <= ? AND ends_at > ? ORDER BY ends_at DESC, id
            """), arguments: [StoredMoment(moment), StoredMoment(moment)]
        ).map { row in
            AlertSilence(
                id: row["id"], severity: (row["severity"] as String?).flatMap(AlertSeverity.init(rawValue:)),
                component: row["component"], environment: row["environment"], startsAt: (row["starts_at"] as StoredMoment).date,
                endsAt: (row["ends_at"] as StoredMoment).date, reason: row["reason"], actor: row["actor"])
        }
    }

    // MARK: Outbox

    /// Claims the deliveries due at `now` for `owner` (an agent) for `lease` seconds, oldest
    /// first, leaving out the rows of `sinks` (resting after a failure), in one statement: another agent claiming at the same time gets other rows, and a
    /// row whose claimer died is claimed again once its lease ran out.
    public func claimDeliveries(
        by owner: String, lease: TimeInterval, excluding sinks: [String], at now: Date, limit: Int
    ) throws(SlipwayError) -> [AlertDelivery] {
        let excluded = (try? JSONEncoder().encode(sinks)).map { String(decoding: $0, as: UTF8.self) } ?? "[]"
        do {
            return try pool.write { db in
                try Row.fetchAll(db, sql: """
                    UPDATE alert_outbox SET claimed_by = ?, claimed_until = ?
                    WHERE id IN (
                        SELECT id FROM alert_outbox
                        WHERE delivered_at IS NULL AND next_attempt_at <= ? AND (claimed_by IS NULL OR claimed_until <= ?)
                            AND sink NOT IN (SELECT value FROM json_each(?))
                        ORDER BY id LIMIT ?)
                    RETURNING id, sink, payload, attempts
                    """, arguments: [owner, StoredMoment(now.addingTimeInterval(lease)), StoredMoment(now), StoredMoment(now), excluded, limit]
                ).map { AlertDelivery(id: $0["id"], sink: $0["sink"], payload: $0["payload"], attempts: $0["attempts"]) }
                    .sorted { $0.id < $1.id }
            }
        } catch {
            throw failure(error)
        }
    }

    /// Records the outcome of one attempt and gives the claim up: delivered, or failed with the
    /// time of the next try.
    public func recordAttempt(_ id: Int64, error: String?, nextAttempt: Date, at now: Date) throws(SlipwayError) {
        do {
            try pool.write { db in
                if let error {
                    try db.execute(
                        sql: """
                            UPDATE alert_outbox SET attempts = attempts + 1, last_error = ?, next_attempt_at = ?,
                                claimed_by = NULL, claimed_until = NULL WHERE id = ?
                            """,
                        arguments: [error, StoredMoment(nextAttempt), id])
                } else {
                    try db.execute(
                        sql: """
                            UPDATE alert_outbox SET attempts = attempts + 1, delivered_at = ?, last_error = NULL,
                                claimed_by = NULL, claimed_until = NULL WHERE id = ?
                            """,
                        arguments: [StoredMoment(now), id])
                }
            }
        } catch {
            throw failure(error)
        }
    }

    /// Gives a claim up untried, for another drain to take.
    public func releaseClaim(_ id: Int64) throws(SlipwayError) {
        do {
            try pool.write { db in
                try db.execute(sql: "UPDATE alert_outbox SET claimed_by = NULL, claimed_until = NULL WHERE id = ?", arguments: [id])
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
