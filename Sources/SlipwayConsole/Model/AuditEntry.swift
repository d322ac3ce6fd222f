import Foundation
import SlipwayCore

/// One line of the audit screen: an action someone took and how it ended.
struct AuditEntry: Equatable, Sendable {
    var time: Date
    var actor: String
    var action: String
    var component: String
    var environment: String
    var outcome: String

    /// The entry for an event that records an action, nil for the rest (stages, slots, probes).
    init?(_ event: Event) {
        guard let kind = event.knownKind, let details = event.details else { return nil }
        let run = details.runKind?.rawValue ?? "run"
        switch kind {
        case .runStarted:
            action = run
            outcome = "started" + (details.version.map { " \($0)" } ?? "")
        case .runFinished:
            action = run
            outcome = (details.outcome ?? "finished") + (details.reason.map { ": \($0)" } ?? "")
        case .cancelRequested:
            action = "cancel"
            outcome = "requested"
        case .deployRefused:
            action = "deploy"
            outcome = "refused" + (details.reason.map { ": \($0)" } ?? "")
        case .trafficSwitched:
            action = "switch"
            outcome = "to \(details.color ?? "-")" + (details.version.map { " (\($0))" } ?? "")
        case .alertRaised:
            action = "alert"
            outcome = [details.outcome, details.change, details.reason].compactMap(\.self).joined(separator: " ")
        case .canaryChanged:
            action = "canary"
            outcome = details.reason ?? "changed"
        case .migrationApplied:
            action = "migrate"
            let allowed = (details.allowances ?? []).isEmpty ? "" : " (\(details.allowances?.count ?? 0) allowed by comment)"
            outcome = (details.outcome ?? "applied") + (details.version.map { " to \($0)" } ?? "") + allowed
                + (details.reason.map { ": \($0)" } ?? "")
        case .backupCreated, .storeRestored, .databaseRestored:
            action = kind == .backupCreated ? "backup" : "restore"
            outcome = (details.tag ?? "store") + (details.reason.map { ": \($0)" } ?? "")
        case .backupDrilled:
            action = "drill"
            outcome = [details.outcome, details.tag, details.seconds.map { DurationText.format($0) }, details.reason]
                .compactMap(\.self).joined(separator: " ")
        case .checkOverridden:
            action = "override"
            outcome = [details.stage, details.version, details.reason.map { "because \($0)" }].compactMap(\.self).joined(separator: " ")
                + (details.outcome.map { ": \($0)" } ?? "")
        case .accessRefused:
            action = details.stage ?? "change"
            outcome = "refused: needs \(details.outcome ?? "a role")"
        case .alertSilenced:
            action = "silence"
            outcome = [details.stage, details.reason].compactMap(\.self).joined(separator: ": ")
        case .requestApproved, .requestDenied, .requestExpired:
            action = kind == .requestApproved ? "approve" : kind == .requestDenied ? "deny" : "expire"
            outcome = [details.stage, details.outcome, details.reason].compactMap(\.self).joined(separator: ": ")
        case .projectionStarted, .projectionCompared, .projectionSwitched, .projectionFailed:
            action = "projection"
            let what = kind == .projectionStarted ? "rebuild started" : kind == .projectionCompared ? "compared"
                : kind == .projectionSwitched ? "switched" : "failed"
            outcome = [details.stage, details.version.map { "v\($0)" }, what, details.outcome, details.reason]
                .compactMap(\.self).joined(separator: " ")
        case .requestRejected:
            action = run
            outcome = "rejected" + (details.reason.map { ": \($0)" } ?? "")
        default:
            return nil
        }
        time = event.time
        actor = event.actor
        component = event.component ?? "-"
        environment = event.environment ?? "-"
    }

    func matches(_ filter: String) -> Bool {
        [actor, action, component, environment, outcome].contains { $0.localizedCaseInsensitiveContains(filter) }
    }
}
