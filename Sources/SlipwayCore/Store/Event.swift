import Foundation

/// One recorded action, as stored in the append-only `events` table.
public struct Event: Sendable, Equatable, Identifiable {
    public var id: Int64
    public var time: Date
    public var actor: String
    /// The raw kind; `knownKind` is nil for kinds a newer Slipway wrote.
    public var kind: String
    public var schemaVersion: Int
    public var component: String?
    public var environment: String?
    public var runID: String?
    /// The payload as stored (JSON text, secrets already masked).
    public var payload: String

    public var knownKind: EventKind? { EventKind(rawValue: kind) }

    /// The payload decoded, or nil when it is not one this version understands.
    public var details: EventDetails? {
        guard knownKind != nil, let data = payload.data(using: .utf8) else { return nil }
        return try? JSONDecoder().decode(EventDetails.self, from: data)
    }
}

/// An event about to be appended.
public struct NewEvent: Sendable, Codable, Equatable {
    public var kind: EventKind
    public var component: String?
    public var environment: String?
    public var runID: String?
    public var details: EventDetails
    /// When nil, the store stamps the time of the append.
    public var time: Date?

    public init(
        _ kind: EventKind, component: String? = nil, environment: String? = nil, runID: String? = nil,
        details: EventDetails = EventDetails(), time: Date? = nil
    ) {
        self.kind = kind
        self.component = component
        self.environment = environment
        self.runID = runID
        self.details = details
        self.time = time
    }
}
