import Foundation
import SlipwayCore

/// A burn-rate alert that fired and has not cleared, as the header counts them.
struct FiringAlert: Equatable, Sendable {
    var component: String
    var environment: String
    var objective: String
    var rule: String
    var severity: AlertSeverity
    var message: String
    var since: Date
    /// The event that fired it: orders alerts fired within the same millisecond.
    var eventID: Int64
    /// When a silence in force (`slipway alerts silence`) that keeps it from its sinks ends.
    var silencedUntil: Date?

    /// The alerts still firing after `events` (alert events in any order): each rule of each
    /// objective fires and clears in turn, so its newest event decides.
    static func firing(in events: [Event]) -> [FiringAlert] {
        var firing: [String: FiringAlert] = [:]
        for event in events.sorted(by: { $0.id < $1.id }) where event.knownKind == .alertRaised {
            guard let details = event.details, let change = details.change, let rule = details.stage else { continue }
            let objective = details.objective ?? ""
            let key = [event.component ?? "", event.environment ?? "", objective, rule].joined(separator: "\u{1f}")
            switch change {
            case "fired":
                firing[key] = FiringAlert(
                    component: event.component ?? "-", environment: event.environment ?? "-", objective: objective,
                    rule: rule, severity: AlertSeverity(rawValue: details.outcome ?? "") ?? .info,
                    message: details.reason ?? "", since: event.time, eventID: event.id)
            case "cleared":
                firing[key] = nil
            default:
                continue
            }
        }
        return firing.values.sorted { ($0.severity, $0.since, $0.eventID) > ($1.severity, $1.since, $1.eventID) }
    }

    /// `alerts` with each one a silence in force matches marked, until the latest such silence ends.
    static func marking(_ alerts: [FiringAlert], silencedBy silences: [AlertSilence]) -> [FiringAlert] {
        alerts.map { alert in
            var alert = alert
            alert.silencedUntil = silences
                .filter { $0.matches(component: alert.component, environment: alert.environment, severity: alert.severity) }
                .map(\.endsAt).max()
            return alert
        }
    }

    func matches(_ filter: String) -> Bool {
        [component, environment, objective, rule, severity.rawValue, message].contains {
            $0.localizedCaseInsensitiveContains(filter)
        }
    }

    /// Whether it makes the deployment it is about unhealthy in effect: a page, not a ticket.
    var isPaging: Bool { severity >= .page }
}
