import Foundation
import SlipwayCore

/// One deployment's live traffic as the health and component screens show it: each colour's
/// (or version's) share with its requests, failures and p95, and where the figures come from:
/// the router's counters for a local component, the platform's own metrics (read by the agent)
/// for a cloud one. A figure nobody gave stays nil, shown as `-`, never as zero.
struct HealthFigures {
    /// `router`, or the platform's metrics as the reading names them (`CloudWatch`).
    var source: String
    var shares: [PlatformShare]
    /// The share most users reach.
    var live: String?
    /// Why the platform gave no figures this time, one line.
    var problem: String?
    /// What to know about the figures (Pages has none per colour).
    var note: String?
    /// The window the platform's figures cover; nil for the router's, which count from its start.
    var window: (start: Date, end: Date)?

    /// The figures of `row`: the platform's reading when the agent has one, else the router's counts.
    static func of(_ row: FleetRow, in snapshot: ConsoleSnapshot) -> HealthFigures? {
        if let reading = snapshot.reading(row.component, row.environment) {
            // The platform's split is the truth about where users go; the store's colour when it gives none.
            let heaviest = reading.shares.filter { ($0.percent ?? 0) > 0 }.max { ($0.percent ?? 0) < ($1.percent ?? 0) }
            let live = heaviest?.name ?? (reading.shares.contains { $0.name == row.liveColor } ? row.liveColor : nil)
            return HealthFigures(
                source: reading.source, shares: reading.shares, live: live, problem: reading.problem, note: reading.note,
                window: (reading.windowStart, reading.windowEnd))
        }
        guard let counts = snapshot.metrics(row.component, row.environment)?.counts else { return nil }
        let shares = counts.sorted { $0.key < $1.key }.map { color, counts in
            PlatformShare(
                name: color, requests: counts.requests, failures: counts.errors5xx + counts.connectionErrors,
                p95Milliseconds: counts.p95Milliseconds)
        }
        return HealthFigures(source: "router", shares: shares, live: row.liveColor)
    }

    var liveShare: PlatformShare? { shares.first { $0.name == live } }

    /// Failed requests of every share in percent, nil without requests.
    var errorRate: Double? {
        let requests = shares.reduce(0) { $0 + ($1.requests ?? 0) }
        guard requests > 0 else { return nil }
        return Double(shares.reduce(0) { $0 + ($1.failures ?? 0) }) * 100 / Double(requests)
    }

    /// `b 120/0 g 80/2` for colours, `v2 90/1 v1 10/0` for versions; nil when there are no figures.
    var requestsAndErrors: String? {
        let counted = shares.filter { $0.requests != nil }
        guard !counted.isEmpty else { return nil }
        return counted.map { share in
            let name = SlotColor(rawValue: share.name) == nil ? String(share.name.prefix(8)) : String(share.name.prefix(1))
            return "\(name) \(share.requests ?? 0)/\(share.failures ?? 0)"
        }.joined(separator: " ")
    }

    /// `CloudWatch`, `CloudWatch failed` when the last reading did, `router`.
    var sourceLabel: String {
        problem == nil ? source : "\(source) failed"
    }

    /// The line saying why there are no figures, or what to know about them; nil when nothing needs saying.
    var remark: String? {
        if let problem { return "\(source): \(problem)" }
        return note.map { "\(source): \($0)" }
    }
}
