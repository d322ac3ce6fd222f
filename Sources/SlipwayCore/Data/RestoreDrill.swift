import Foundation

/// One restore drill of a component database (`backup verify COMPONENT --env ENV --restore`):
/// the newest base backup and the archive restored into a throwaway cluster and checked, and
/// how long that took, which is the restore time the RTO is measured against.
public struct RestoreDrill: Codable, Sendable, Equatable {
    public var component: String
    public var environment: String
    /// When the drill began.
    public var time: Date
    public var ok: Bool
    /// The base backup restored; nil when there was none.
    public var backup: String?
    /// The newest moment the restore proved recoverable: the archive's end.
    public var recoveredTo: Date?
    /// From the start until the restored database was up and checked.
    public var seconds: Double
    /// What the check found (`3 tables, 1204 rows`), or why the drill failed.
    public var summary: String

    enum CodingKeys: String, CodingKey {
        case component, environment, time, ok, backup, seconds, summary
        case recoveredTo = "recovered_to"
    }

    init(component: String, environment: String, time: Date, ok: Bool, backup: String?, recoveredTo: Date?, seconds: Double, summary: String) {
        self.component = component
        self.environment = environment
        self.time = time
        self.ok = ok
        self.backup = backup
        self.recoveredTo = recoveredTo
        self.seconds = seconds
        self.summary = summary
    }

    /// The drill a `backup.drilled` event records.
    init?(_ event: Event) {
        guard event.knownKind == .backupDrilled, let details = event.details, let component = event.component,
              let environment = event.environment, let seconds = details.seconds
        else { return nil }
        let moments = ISO8601DateFormatter()
        moments.formatOptions = [.withInternetDateTime, .withFractionalSeconds]
        self.init(
            component: component, environment: environment, time: event.time, ok: details.outcome == "ok", backup: details.tag,
            recoveredTo: details.recoveredTo.flatMap(moments.date(from:)), seconds: seconds, summary: details.reason ?? "")
    }

    var event: NewEvent {
        NewEvent(
            .backupDrilled, component: component, environment: environment,
            details: EventDetails(
                outcome: ok ? "ok" : "failed", reason: summary, tag: backup, seconds: seconds,
                recoveredTo: recoveredTo.map(TimeText.rfc3339Milliseconds)))
    }
}
