import Foundation
import Logging
import PostgresNIO

/// Alerts on the shared store, as on the embedded one (SQLiteStore+Alerts, +AlertState): each is
/// an event and one outbox row per sink its routes name; a silenced alert is recorded with the
/// silence's id and queued for no sink. Agents on several machines drain one outbox: each claims
/// its rows with SKIP LOCKED, so a row is delivered once however many drain at once.
extension PostgresStore {
    // MARK: Alert states

    public func alertStates() throws(SlipwayError) -> [AlertStateRecord] {
        try reading("cannot read the alert states from the store") { connection, logger in
            var states: [AlertStateRecord] = []
            let rows = try await connection.query("""
                SELECT component, environment, objective, firing, budget_remaining, evaluated_at FROM slipway.alert_states
                ORDER BY component, environment, objective
                """, logger: logger).decode((String, String, String, String, Double, Date).self)
            for try await (component, environment, objective, firing, budgetRemaining, evaluatedAt) in rows {
                var state = AlertStateRecord(
                    component: component, environment: environment, objective: objective, firing: [],
                    budgetRemaining: budgetRemaining, evaluatedAt: evaluatedAt)
                // As stored: the sorted JSON array the record wrote.
                state.firing = firing
                states.append(state)
            }
            return states
        }
    }

    /// Saves the states of one evaluation and raises its alerts in one transaction: an agent
    /// killed halfway neither loses an alert nor raises one twice after its restart.
    public func save(_ states: [AlertStateRecord], raising alerts: [Alert], routing: AlertSettings) throws(SlipwayError) {
        try writing("cannot save the alert states in the store") { connection, logger in
            for alert in alerts { try await self.raise(alert, routing: routing, on: connection, logger: logger) }
            for state in states {
                _ = try await connection.query("""
                    INSERT INTO slipway.alert_states (component, environment, objective, firing, budget_remaining, evaluated_at)
                    VALUES (\(state.component), \(state.environment), \(state.objective), \(state.firing), \(state.budgetRemaining),
                        \(state.evaluatedAt))
                    ON CONFLICT (component, environment, objective) DO UPDATE SET firing = excluded.firing,
                        budget_remaining = excluded.budget_remaining, evaluated_at = excluded.evaluated_at
                    """, logger: logger)
            }
        }
    }

    // MARK: Raising

    /// Records `alert` as an event and queues it for the sinks `routing` sends it to, in one transaction.
    public func raise(_ alert: Alert, routing: AlertSettings) throws(SlipwayError) {
        try writing("cannot raise an alert in the store") { connection, logger in
            try await self.raise(alert, routing: routing, on: connection, logger: logger)
        }
    }

    private func raise(_ alert: Alert, routing: AlertSettings, on connection: PostgresConnection, logger: Logger) async throws {
        let silence = try await Self.silences(at: alert.time, on: connection, logger: logger).first {
            $0.matches(component: alert.component, environment: alert.environment, severity: alert.severity)
        }
        _ = try await append([NewEvent(
            .alertRaised, component: alert.component, environment: alert.environment,
            details: EventDetails(
                stage: alert.rule, outcome: alert.severity.rawValue, reason: alert.message, tag: silence?.id, change: alert.change,
                objective: alert.objective))], on: connection, logger: logger)
        guard silence == nil else { return }
        // One statement a sink (there are a few), so their ids follow the routing's order.
        for sink in routing.sinks(for: alert) {
            _ = try await connection.query("""
                INSERT INTO slipway.alert_outbox (sink, payload, next_attempt_at, created_at)
                VALUES (\(sink), \(alert.json), \(alert.time), \(alert.time))
                """, logger: logger)
        }
    }

    // MARK: Silences

    /// Records `silence` and its `alert.silenced` event in one transaction, as the login's.
    public func silence(_ silence: AlertSilence) throws(SlipwayError) {
        try writing("cannot record the silence in the store") { connection, logger in
            _ = try await connection.query("""
                INSERT INTO slipway.alert_silences (id, severity, component, environment, starts_at, ends_at, reason, actor)
                VALUES (\(silence.id), \(silence.severity?.rawValue), \(silence.component), \(silence.environment),
                    \(silence.startsAt), \(silence.endsAt), \(silence.reason), current_user)
                """, logger: logger)
            _ = try await self.append([NewEvent(
                .alertSilenced, component: silence.component, environment: silence.environment,
                details: EventDetails(
                    stage: silence.severity?.rawValue ?? "any", reason: silence.reason, tag: silence.id,
                    seconds: (silence.endsAt.timeIntervalSince(silence.startsAt) * 1000).rounded() / 1000),
                time: silence.startsAt)], on: connection, logger: logger)
        }
    }

    /// The silences in force at `moment`, the latest ending first.
    public func silences(at moment: Date) throws(SlipwayError) -> [AlertSilence] {
        try reading("cannot read the silences from the store") { connection, logger in
            try await Self.silences(at: moment, on: connection, logger: logger)
        }
    }

    private static func silences(at moment: Date, on connection: PostgresConnection, logger: Logger) async throws -> [AlertSilence] {
        var silences: [AlertSilence] = []
        let rows = try await connection.query("""
            SELECT id, severity, component, environment, starts_at, ends_at, reason, actor FROM slipway.alert_silences
            WHERE starts_at <= \(moment) AND ends_at > \(moment) ORDER BY ends_at DESC, id
            """, logger: logger).decode((String, String?, String?, String?, Date, Date, String, String).self)
        for try await (id, severity, component, environment, startsAt, endsAt, reason, actor) in rows {
            silences.append(AlertSilence(
                id: id, severity: severity.flatMap(AlertSeverity.init(rawValue:)), component: component, environment: environment,
                startsAt: startsAt, endsAt: endsAt, reason: reason, actor: actor))
        }
        return silences
    }

    // MARK: Outbox

    /// Claims the deliveries due at `now` for `owner` (an agent) for `lease` seconds, oldest
    /// first, leaving out the rows of `sinks` (resting after a failure). The rows are locked as
    /// they are chosen and rows another claim holds locked are passed over (SKIP LOCKED), so
    /// agents claiming at once get other rows without waiting on each other; a row claimed and
    /// committed since this statement began is seen claimed when locked, and left out too. A row
    /// whose claimer died is claimed again once its lease ran out.
    public func claimDeliveries(
        by owner: String, lease: TimeInterval, excluding sinks: [String], at now: Date, limit: Int
    ) throws(SlipwayError) -> [AlertDelivery] {
        let until = now.addingTimeInterval(lease)
        let limit = Int64(limit)
        return try writingWithoutAppendLock("cannot claim alert deliveries in the store") { connection, logger in
            var deliveries: [AlertDelivery] = []
            let rows = try await connection.query("""
                UPDATE slipway.alert_outbox SET claimed_by = \(owner), claimed_until = \(until)
                WHERE id IN (
                    SELECT id FROM slipway.alert_outbox
                    WHERE delivered_at IS NULL AND next_attempt_at <= \(now) AND (claimed_by IS NULL OR claimed_until <= \(now))
                        AND sink <> ALL(\(sinks)::text[])
                    ORDER BY id LIMIT \(limit)
                    FOR UPDATE SKIP LOCKED)
                RETURNING id, sink, payload, attempts
                """, logger: logger).decode((Int64, String, String, Int32).self)
            for try await (id, sink, payload, attempts) in rows {
                deliveries.append(AlertDelivery(id: id, sink: sink, payload: payload, attempts: Int(attempts)))
            }
            return deliveries.sorted { $0.id < $1.id }
        }
    }

    /// Records the outcome of one attempt and gives the claim up: delivered, or failed with the
    /// time of the next try.
    public func recordAttempt(_ id: Int64, error: String?, nextAttempt: Date, at now: Date) throws(SlipwayError) {
        try writingWithoutAppendLock("cannot record an alert delivery in the store") { connection, logger in
            if let error {
                _ = try await connection.query("""
                    UPDATE slipway.alert_outbox SET attempts = attempts + 1, last_error = \(error), next_attempt_at = \(nextAttempt),
                        claimed_by = NULL, claimed_until = NULL WHERE id = \(id)
                    """, logger: logger)
            } else {
                _ = try await connection.query("""
                    UPDATE slipway.alert_outbox SET attempts = attempts + 1, delivered_at = \(now), last_error = NULL,
                        claimed_by = NULL, claimed_until = NULL WHERE id = \(id)
                    """, logger: logger)
            }
        }
    }

    /// Gives a claim up untried, for another drain to take.
    public func releaseClaim(_ id: Int64) throws(SlipwayError) {
        try writingWithoutAppendLock("cannot release an alert delivery in the store") { connection, logger in
            _ = try await connection.query(
                "UPDATE slipway.alert_outbox SET claimed_by = NULL, claimed_until = NULL WHERE id = \(id)", logger: logger)
        }
    }

    /// Counts of the outbox: delivered and still pending.
    public func outboxCounts() throws(SlipwayError) -> (delivered: Int, pending: Int) {
        try reading("cannot count the alert outbox in the store") { connection, logger in
            let counts = try await connection.query("""
                SELECT count(*) FILTER (WHERE delivered_at IS NOT NULL), count(*) FILTER (WHERE delivered_at IS NULL)
                FROM slipway.alert_outbox
                """, logger: logger).decode((Int64, Int64).self).first { _ in true }
            return (Int(counts?.0 ?? 0), Int(counts?.1 ?? 0))
        }
    }
}
