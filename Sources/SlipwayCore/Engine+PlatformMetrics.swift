import Foundation

extension Engine {
    /// Reads the live traffic of every deployed component whose target has figures of its own
    /// (a cloud platform's analytics) over the complete minutes from `start` to `end`, records
    /// each reading for the console (a failure as its one line), and, when `countingSLIs`, adds
    /// the figures to the SLI minutes as the agent adds the router's, so objectives and alerts
    /// cover cloud components too. The windows a caller passes must not overlap when counting,
    /// or a minute would be counted twice. Answers the readings recorded.
    @discardableResult
    public func recordPlatformMetrics(from start: Date, to end: Date, countingSLIs: Bool, now: Date = Date()) async -> [PlatformReading] {
        guard let states = try? store.projection().states else { return [] }
        var readings: [PlatformReading] = []
        var increments: [EventStore.SLIIncrement] = []
        for (key, state) in states.sorted(by: { $0.key < $1.key }) where state.liveVersion != nil {
            guard let component = try? workspace.component(named: key.component),
                  let target = try? target(for: component, environment: key.environment),
                  let source = target.metricsSource else { continue }
            var reading = PlatformReading(
                component: key.component, environment: key.environment, readAt: now, source: source,
                windowStart: start, windowEnd: end, shares: [])
            do throws(SlipwayError) {
                guard let metrics = try await target.liveMetrics(from: start, to: end) else { continue }
                reading.shares = metrics.shares
                reading.note = metrics.note
                if countingSLIs {
                    increments += Self.sliIncrements(metrics, of: component, in: key.environment, minute: EventStore.minute(of: end) - 1)
                }
            } catch {
                reading.problem = masker.mask(error.message)
            }
            try? store.save(reading)
            readings.append(reading)
        }
        if !increments.isEmpty { try? store.add(increments, now: now) }
        return readings
    }

    /// The window's figures as one increment per objective, in the window's last minute.
    static func sliIncrements(
        _ metrics: PlatformMetrics, of component: Component, in environment: String, minute: Int
    ) -> [EventStore.SLIIncrement] {
        component.settings.slo.objectives.compactMap { objective in
            let counted = metrics.counts.values.map { objective.counts(from: nil, to: $0) }
            let total = counted.reduce(0) { $0 + $1.total }
            guard total > 0 else { return nil }
            return EventStore.SLIIncrement(
                component: component.name, environment: environment, objective: objective.name,
                minute: SLIMinute(minute: minute, total: total, bad: counted.reduce(0) { $0 + $1.bad }))
        }
    }
}
