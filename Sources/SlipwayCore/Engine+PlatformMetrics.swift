import Foundation

extension Engine {
    /// One component's reading in a pass of `recordPlatformMetrics`.
    public struct PlatformPassResult: Sendable {
        public var reading: PlatformReading
        /// Whether the window's minutes were read and, when counted, added to the SLIs: the
        /// next window starts at its end. Otherwise the next one reads them again.
        public var windowDone: Bool
        /// Store writes that failed, one line each, for the caller's log.
        public var storeProblems: [String]
    }

    /// Reads the live traffic of every deployed component whose target has figures of its own
    /// (a cloud platform's analytics), records each reading for the console (a failure as its
    /// one line), and adds the figures to the SLI minutes, minute by minute, as the agent adds the
    /// router's, so objectives and alerts cover cloud components too. A component is read over
    /// the complete minutes from where `readThrough` says its counted minutes end to `end`; one
    /// not in `readThrough` is read over the `lookbackMinutes` before `end` for the screen only,
    /// since an agent before this one may have counted those. A counted window spans at most
    /// `windowLimitMinutes`, so catching up after a long outage reads a bounded answer a pass
    /// (the Workers analytics return at most 10,000 rows, one a version and minute); the
    /// reading's `windowEnd` says where it stopped. Answers one result per component read.
    public func recordPlatformMetrics(
        to end: Date, readThrough: [Projection.Key: Date], lookbackMinutes: Int, windowLimitMinutes: Int,
        now: Date = Date()
    ) async -> [PlatformPassResult] {
        guard let states = try? store.projection().states else { return [] }
        var results: [PlatformPassResult] = []
        for (key, state) in states.sorted(by: { $0.key < $1.key }) where state.liveVersion != nil {
            let countedThrough = readThrough[key]
            let start = countedThrough ?? end.addingTimeInterval(-Double(lookbackMinutes) * 60)
            // The look-back window counts nothing, so it is never cut: its end is where counting starts.
            let windowEnd = countedThrough == nil ? end : min(end, start.addingTimeInterval(Double(windowLimitMinutes) * 60))
            guard start < windowEnd,
                  let component = try? workspace.component(named: key.component),
                  let target = try? target(for: component, environment: key.environment),
                  let source = target.metricsSource else { continue }
            var result = PlatformPassResult(
                reading: PlatformReading(
                    component: key.component, environment: key.environment, readAt: now, source: source,
                    windowStart: start, windowEnd: windowEnd, shares: []),
                windowDone: true, storeProblems: [])
            var increments: [SLIIncrement] = []
            do throws(SlipwayError) {
                guard let metrics = try await target.liveMetrics(from: start, to: windowEnd) else { continue }
                result.reading.shares = metrics.shares
                result.reading.note = metrics.note
                if countedThrough != nil {
                    let minutes = SLIMinute.number(of: start)..<SLIMinute.number(of: windowEnd)
                    increments = Self.sliIncrements(metrics, of: component, in: key.environment, minutes: minutes)
                }
            } catch {
                result.reading.problem = masker.mask(error.message)
                result.windowDone = false
            }
            // Cut short (the agent stopping): what the calls gave is not the platform's answer.
            guard !Task.isCancelled else { break }
            if !increments.isEmpty {
                do throws(SlipwayError) {
                    try store.add(increments, now: now)
                } catch {
                    result.storeProblems.append(
                        "cannot add the SLI minutes of \(key.component) in \(key.environment): \(masker.mask(error.message))")
                    result.windowDone = false
                }
            }
            do throws(SlipwayError) {
                try store.save(result.reading)
            } catch {
                result.storeProblems.append(
                    "cannot record the reading of \(key.component) in \(key.environment): \(masker.mask(error.message))")
            }
            results.append(result)
        }
        return results
    }

    /// The window's figures as one increment per objective and minute in `minutes` with
    /// requests, each in the minute the platform counted them in.
    static func sliIncrements(
        _ metrics: PlatformMetrics, of component: Component, in environment: String, minutes: Range<Int>
    ) -> [SLIIncrement] {
        minutes.flatMap { minute in
            component.settings.slo.objectives.compactMap { objective in
                let counted = metrics.minutes.values.compactMap { $0[minute] }.map { objective.counts(from: nil, to: $0) }
                let total = counted.reduce(0) { $0 + $1.total }
                guard total > 0 else { return nil }
                return SLIIncrement(
                    component: component.name, environment: environment, objective: objective.name,
                    minute: SLIMinute(minute: minute, total: total, bad: counted.reduce(0) { $0 + $1.bad }))
            }
        }
    }
}
