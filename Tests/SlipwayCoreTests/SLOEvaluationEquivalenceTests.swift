import Foundation
import SlipwayCore
import SlipwayTestSupport
import Testing

/// The agent's alert evaluation (`SLOEvaluation`, every objective's windows summed by the store
/// in one read) and `SLOReport` against the evaluation as it was first written: every minute of
/// each objective read into an `SLOSeries` and evaluated in memory, on one generated history
/// with gaps, outages that fire and clear each rule, budgets crossing their thresholds, an
/// objective whose minutes stop early and objectives with no minutes at all.
@Suite struct SLOEvaluationEquivalenceTests {
    static let objectives = SLOSettings().objectives
    static let subjects = [("api", "production"), ("api", "staging"), ("web", "production")]

    /// Five days of minutes before `end`; `bad` and gaps differ per subject and objective.
    static func history(end: Int) -> [SLIIncrement] {
        let start = end - 7200
        var increments: [SLIIncrement] = []
        for (index, (component, environment)) in subjects.enumerated() {
            // The third subject has availability minutes only: its latency objectives have none.
            for objective in objectives.prefix(index == 2 ? 1 : objectives.count) {
                for minute in start..<end {
                    // Gaps: a missing minute now and then, and api/staging's minutes stop 2 hours early.
                    if (minute + index * 3) % 17 == 0 || (index == 1 && minute >= end - 120) { continue }
                    let total = 100 + (minute * 7 + index) % 50
                    let offset = minute - start
                    var bad = minute % 97 == index ? 3 : 0
                    switch (index, objective.name) {
                    case (0, "availability") where offset >= 3000 && offset < 3010: bad = total
                    case (0, "availability") where offset >= 5000 && offset < 5600: bad = total / 10
                    case (1, "availability") where offset >= 2000 && offset < 2300: bad = total / 20
                    case (1, "latency-2s") where offset >= 4000 && offset < 5500: bad = total / 4
                    case (2, "availability") where offset >= 6000 && offset < 7000: bad = total / 50
                    default: break
                    }
                    increments.append(SLIIncrement(
                        component: component, environment: environment, objective: objective.name,
                        minute: SLIMinute(minute: minute, total: total, bad: bad)))
                }
            }
        }
        return increments
    }

    static func date(_ minute: Int) -> Date { Date(timeIntervalSince1970: Double(minute) * 60) }

    @Test func storeSummedEvaluationRaisesWhatTheInMemoryEvaluationRaises() throws {
        let temporary = try TemporaryWorkspace()
        let store = try SQLiteStore(path: temporary.statePath, actor: "tester")
        let workspace = try Workspace.load(at: temporary.root)
        let end = SLIMinute.number(of: Date())
        try store.add(Self.history(end: end))

        var series: [String: SLOSeries] = [:]
        for (component, environment) in Self.subjects {
            for objective in Self.objectives {
                series["\(component)/\(environment)/\(objective.name)"] = SLOSeries(try store.sliMinutes(
                    component: component, environment: environment, objective: objective.name, since: 0))
            }
        }
        // Every minute around the outages, every 31st elsewhere, and a minute after the last stored.
        let start = end - 7200
        let dense = [2990..<3040, 4990..<5100, 5590..<5700, 6990..<7050].flatMap { $0.map { start + $0 } }
        let minutes = Set(dense + Array(stride(from: start, through: end + 1, by: 31))).sorted()

        var evaluated: [String: SLOAlerting] = [:]
        var expected: [String: SLOAlerting] = [:]
        var raised: [String] = []
        for minute in minutes {
            let evaluation = try SLOEvaluation(store: store, workspace: workspace, earlier: evaluated, now: Self.date(minute))
            evaluated = evaluation.states
            var expectedAlerts: [String] = []
            for (component, environment) in Self.subjects {
                for objective in Self.objectives {
                    let key = "\(component)/\(environment)/\(objective.name)"
                    var alerting = expected[key] ?? SLOAlerting(objective: objective)
                    for alert in alerting.evaluate(series[key]!, at: minute) {
                        expectedAlerts.append("\(component) \(environment) \(alert.change.rawValue) \(alert.rule): \(alert.message)")
                    }
                    expected[key] = alerting
                }
            }
            let alerts = evaluation.alerts.map { alert in
                "\(alert.component) \(alert.environment) \(alert.change) \(alert.rule ?? "-"): "
                    + alert.message.replacingOccurrences(of: "\(alert.component) in \(alert.environment): ", with: "")
            }
            #expect(alerts == expectedAlerts, "at minute \(minute - start)")
            #expect(evaluated == expected, "at minute \(minute - start)")
            raised += alerts

            let report = try SLOReport(store: store, workspace: workspace, environment: nil, now: Self.date(minute))
            let statuses = Self.subjects.flatMap { component, environment in
                Self.objectives.map { objective in
                    SLOStatus(objective: objective, series: series["\(component)/\(environment)/\(objective.name)"]!, at: minute)
                }
            }
            #expect(report.entries.map(\.status) == statuses, "at minute \(minute - start)")
        }
        // The history is only a test if it raised every kind of change.
        for kind in ["fired 1h/5m", "cleared 1h/5m", "fired 6h/30m", "fired 1d/2h", "budget_crossed 50%", "budget_crossed 0%"] {
            #expect(raised.contains { $0.contains(kind) }, "no \(kind) in \(raised)")
        }
    }
}
