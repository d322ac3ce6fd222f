import Foundation
import SlipwayCore

/// One objective of one component in one environment on the health screen: the figures of
/// `slipway slo` and the last hour's minutes for a sparkline.
struct SLOLine: Equatable, Sendable {
    /// Minutes the sparkline covers.
    static let sparklineMinutes = 60

    var component: String
    var environment: String
    var status: SLOStatus
    /// The bad ratio of each of the last `sparklineMinutes` complete minutes, oldest first; nil
    /// for a minute without events.
    var badRatios: [Double?]

    /// `minutes` as the store gives them (any order, with gaps), up to the minute before `end`.
    init(component: String, environment: String, status: SLOStatus, minutes: [SLIMinute], end: Int) {
        self.component = component
        self.environment = environment
        self.status = status
        var ratios = [Double?](repeating: nil, count: Self.sparklineMinutes)
        let first = end - Self.sparklineMinutes
        for minute in minutes where minute.minute >= first && minute.minute < end && minute.total > 0 {
            ratios[minute.minute - first] = Double(minute.bad) / Double(minute.total)
        }
        badRatios = ratios
    }

    /// Every objective's line as the store's complete minutes before `moment` give it: now for
    /// the health screen, or a past moment for the past view.
    static func lines(_ engine: Engine, at moment: Date) throws(SlipwayError) -> [SLOLine] {
        let report = try engine.sloReport(at: moment)
        return try report.entries.map { entry throws(SlipwayError) in
            let minutes = try engine.sliMinutes(
                component: entry.component, environment: entry.environment, objective: entry.status.objective.name,
                since: report.minute - sparklineMinutes)
            return SLOLine(
                component: entry.component, environment: entry.environment, status: entry.status, minutes: minutes,
                end: report.minute)
        }
    }

    /// The budget left; an exhausted one is "spent", never a figure like `-5900%`.
    var budgetText: String {
        status.isBudgetSpent ? "spent" : String(format: "%.0f%%", status.budgetRemaining * 100)
    }

    /// Days until the budget runs out at the current burn; "spent" once it has (not `0.0d`).
    var exhaustionText: String {
        guard !status.isBudgetSpent else { return "spent" }
        return status.daysToExhaustion.map { String(format: "%.1fd", $0) } ?? "never"
    }

    func matches(_ filter: String) -> Bool {
        [component, environment, status.objective.name].contains { $0.localizedCaseInsensitiveContains(filter) }
    }
}
