import Foundation
import SlipwayCore

/// The health screen's projection rebuilds, above the recovery objectives: per rebuilt projection
/// its live version, the newest rebuild's state, and while it runs a progress bar with its rate
/// and the time left, the figures of `slipway projection status`.
struct ProjectionTable {
    let rebuilds: [ProjectionRebuild]
    let symbols: SymbolSet

    static let title = "PROJECTION REBUILDS (progress, rate and time left of the newest rebuild)"
    /// Cells of the bar, without its percentage.
    static let barWidth = 12

    /// The rows it takes at the bottom of `room`: none without a rebuild, else a blank line, the
    /// title, the heading and its lines, at most a third of `room`.
    func height(within room: Int) -> Int {
        guard !rebuilds.isEmpty else { return 0 }
        return min(rebuilds.count + 3, max(4, room / 3))
    }

    private func makeTable(width: Int) -> ColumnTable<ProjectionRebuild> {
        typealias Column = ColumnTable<ProjectionRebuild>.Column
        return ColumnTable(
            items: rebuilds,
            columns: [
                Column(heading: "COMPONENT", limit: 18, value: \.component),
                Column(heading: "ENV", limit: 11, value: \.environment),
                Column(heading: "PROJECTION", limit: 20, value: \.projection, cuttable: true),
                Column(heading: "LIVE", limit: 5, value: { "v\($0.liveVersion)" }),
                Column(heading: "REBUILD", limit: 20, value: Self.stateText, style: { Self.style($0.attempt?.phase) }),
                Column(heading: "PROGRESS", limit: Self.barWidth + 5, value: { Self.bar($0.attempt, symbols: symbols) }),
                Column(heading: "RATE", limit: 9, value: { $0.attempt?.rate.map(ProjectionRebuild.rateText) ?? "-" }),
                Column(heading: "LEFT", limit: 8, value: { $0.attempt?.secondsLeft.map(RecoveryTable.span) ?? "-" }),
            ],
            symbols: symbols, emptyMessage: "", width: width)
    }

    /// Draws from `top` (a blank line first) within `height` rows.
    func draw(into frame: inout Frame, top: Int, height: Int) {
        makeTable(width: frame.columns).drawSection(title: Self.title, name: "PROJECTION REBUILDS", into: &frame, top: top, height: height)
    }

    /// `v2 rebuilding`, `v3 differs`, `v2 switched`, `v2 rebuild failed`.
    static func stateText(_ rebuild: ProjectionRebuild) -> String {
        guard let attempt = rebuild.attempt else { return "-" }
        let phase = attempt.phase == .failed ? "\(attempt.failedStep ?? "rebuild") failed" : attempt.phase.rawValue
        return "v\(attempt.version) \(phase)"
    }

    /// `██████░░░░░░  50%` (`######------  50%` in ASCII); a switched rebuild is full, one
    /// before its first checkpoint `-`.
    static func bar(_ attempt: ProjectionRebuild.Attempt?, symbols: SymbolSet) -> String {
        guard let attempt else { return "-" }
        let fraction = attempt.phase == .switched ? 1 : attempt.fraction ?? (attempt.phase == .rebuilding ? nil : 1)
        guard let fraction else { return "-" }
        let filled = Int((fraction * Double(barWidth)).rounded(.down))
        let (full, empty) = symbols == .unicode ? ("█", "░") : ("#", "-")
        let percent = "\(Int((fraction * 100).rounded(.down)))%"
        return String(repeating: full, count: filled) + String(repeating: empty, count: barWidth - filled) + " "
            + String(repeating: " ", count: max(0, 4 - percent.count)) + percent
    }

    private static func style(_ phase: ProjectionRebuild.Phase?) -> CellStyle {
        switch phase {
        case .switched, .agreed: .colored(.healthy)
        case .differs, .failed: .colored(.unhealthy, .bold)
        case .rebuilding, .built: .colored(.inProgress)
        case .abandoned, nil: .plain
        }
    }
}
