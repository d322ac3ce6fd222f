import Foundation
import SlipwayCore

/// The health screen's recovery objectives, under the SLOs: per component database the newest
/// recoverable point's age against its RPO and the last restore drill's time against its RTO,
/// the figures of `slipway backup status --json`.
struct RecoveryTable {
    let statuses: [DatabaseBackupStatus]
    let symbols: SymbolSet

    static let title = "RECOVERY OBJECTIVES (newest recoverable point against the RPO, last drill's restore time against the RTO)"

    /// The rows it takes at the bottom of `room`: none without component databases, else a
    /// blank line, the title, the heading and its lines, at most half of `room`.
    func height(within room: Int) -> Int {
        guard !statuses.isEmpty else { return 0 }
        return min(statuses.count + 3, max(4, room / 2))
    }

    private func makeTable(width: Int) -> ColumnTable<DatabaseBackupStatus> {
        typealias Column = ColumnTable<DatabaseBackupStatus>.Column
        return ColumnTable(
            items: statuses,
            columns: [
                Column(heading: "COMPONENT", limit: 18, value: \.component),
                Column(heading: "ENV", limit: 11, value: \.environment),
                Column(heading: "DATABASE", limit: 14, value: \.database),
                Column(heading: "RPO", limit: 8, value: \.rpo.rawValue, style: { Self.style($0.rpo) }),
                Column(heading: "NEWEST POINT", limit: 14, value: Self.pointText),
                Column(heading: "RTO", limit: 8, value: \.rto.rawValue, style: { Self.style($0.rto) }),
                Column(heading: "LAST RESTORE", limit: 16, value: Self.restoreText),
            ],
            symbols: symbols, emptyMessage: "", width: width)
    }

    /// Draws from `top` (a blank line first) within `height` rows.
    func draw(into frame: inout Frame, top: Int, height: Int) {
        makeTable(width: frame.columns).drawSection(title: Self.title, name: "RECOVERY OBJECTIVES", into: &frame, top: top, height: height)
    }

    /// `12m of 1h`, or `none of 1h` when nothing is recoverable.
    static func pointText(_ status: DatabaseBackupStatus) -> String {
        (status.ageSeconds.map(span) ?? "none") + " of " + span(status.rpoSeconds)
    }

    /// `3.2s of 4h`, `failed of 4h` when the last drill failed, `never of 4h` before the first.
    static func restoreText(_ status: DatabaseBackupStatus) -> String {
        let measured = status.lastDrill.map { $0.ok ? span($0.seconds) : "failed" } ?? "never"
        return measured + " of " + span(status.rtoSeconds)
    }

    /// `3.2s`, `12m`, `1h`, `1.5h`, `2d`: the unit that keeps it short.
    static func span(_ seconds: Double) -> String {
        if seconds < 60 { return seconds < 10 ? String(format: "%.1fs", seconds) : "\(Int(seconds.rounded(.down)))s" }
        if seconds < 3_600 { return "\(Int((seconds / 60).rounded(.down)))m" }
        let (value, unit) = seconds < 86_400 ? (seconds / 3_600, "h") : (seconds / 86_400, "d")
        return (value == value.rounded() ? "\(Int(value))" : String(format: "%.1f", value)) + unit
    }

    private static func style(_ state: ObjectiveState) -> CellStyle {
        switch state {
        case .ok: .colored(.healthy)
        case .breached: .colored(.unhealthy, .bold)
        case .unknown: .colored(.inProgress)
        }
    }
}
