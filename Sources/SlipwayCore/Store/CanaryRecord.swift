import Foundation
import GRDB

/// The canary of one component and environment as its deploy last saved it, so `canary status`
/// and the console read it from another process. One row per component and environment: the latest.
public struct CanaryRecord: Codable, Sendable, Equatable, FetchableRecord, PersistableRecord {
    public static let databaseTableName = "canaries"

    public static func databaseDateEncodingStrategy(for column: String) -> DatabaseDateEncodingStrategy {
        StoredMoment.encodingStrategy
    }

    public static func databaseDateDecodingStrategy(for column: String) -> DatabaseDateDecodingStrategy {
        StoredMoment.decodingStrategy
    }

    public var component: String
    public var environment: String
    public var runID: String
    public var version: String
    public var canaryColor: String
    public var stableColor: String
    /// The canary's progress as JSON.
    public var progress: String
    public var updatedAt: Date

    /// `progress` is the canary's state as JSON, which Targets/Canary encodes and decodes.
    public init(
        component: String, environment: String, runID: String, version: String, canaryColor: String, stableColor: String,
        progress: String, updatedAt: Date
    ) {
        self.component = component
        self.environment = environment
        self.runID = runID
        self.version = version
        self.canaryColor = canaryColor
        self.stableColor = stableColor
        self.progress = progress
        self.updatedAt = updatedAt
    }

    enum CodingKeys: String, CodingKey {
        case component, environment, runID = "run_id", version, canaryColor = "canary_color", stableColor = "stable_color"
        case progress, updatedAt = "updated_at"
    }
}

/// A person's word to a running canary: `pause`, `resume`, `promote` or `abort`.
public struct CanaryCommand: Codable, Sendable, Equatable, FetchableRecord, PersistableRecord {
    public static let databaseTableName = "canary_commands"

    public static func databaseDateEncodingStrategy(for column: String) -> DatabaseDateEncodingStrategy {
        StoredMoment.encodingStrategy
    }

    public static func databaseDateDecodingStrategy(for column: String) -> DatabaseDateDecodingStrategy {
        StoredMoment.decodingStrategy
    }

    public enum Kind: String, Codable, Sendable, CaseIterable {
        case pause, resume, promote, abort
    }

    public var id: Int64?
    public var component: String
    public var environment: String
    public var command: Kind
    public var actor: String
    public var requestedAt: Date

    public init(component: String, environment: String, command: Kind, actor: String, requestedAt: Date) {
        self.component = component
        self.environment = environment
        self.command = command
        self.actor = actor
        self.requestedAt = requestedAt
    }

    enum CodingKeys: String, CodingKey {
        case id, component, environment, command, actor, requestedAt = "requested_at"
    }
}
