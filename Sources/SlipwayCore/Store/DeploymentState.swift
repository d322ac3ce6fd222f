import Foundation

/// What is known of one component in one environment, folded from its events.
public struct DeploymentState: Codable, Sendable, Equatable {
    public struct DeployOutcome: Codable, Sendable, Equatable {
        public var runID: String
        public var kind: RunKind
        public var version: String?
        public var outcome: String
        public var time: Date
    }

    public struct HealthReading: Codable, Sendable, Equatable {
        public var healthy: Bool
        public var time: Date
        public var detail: String?

        public init(healthy: Bool, time: Date, detail: String? = nil) {
            self.healthy = healthy
            self.time = time
            self.detail = detail
        }
    }

    public struct RunInProgress: Codable, Sendable, Equatable {
        public var runID: String
        public var kind: RunKind
        public var version: String?
        public var since: Date
    }

    /// A healthy release in the idle colour, waiting for a switch by hand.
    public struct ReadyRelease: Codable, Sendable, Equatable {
        public var version: String
        public var commit: String?
        public var color: String
        public var since: Date
    }

    public var component: String
    public var environment: String
    public var liveVersion: String?
    public var liveCommit: String?
    public var liveColor: String?
    /// Versions that were live before, most recent first.
    public var previousVersions: [String] = []
    public var lastDeploy: DeployOutcome?
    public var lastHealth: HealthReading?
    public var runsInProgress: [RunInProgress] = []
    public var ready: ReadyRelease?
    public var lastEventID: Int64 = 0

    public init(component: String, environment: String) {
        self.component = component
        self.environment = environment
    }

    /// How many earlier versions are remembered.
    static let historyLimit = 20
}

extension DeploymentState {
    /// How states are kept in both stores' projection tables: the same JSON, so a migrated store compares equal.
    static let storedEncoder: JSONEncoder = {
        let encoder = JSONEncoder()
        encoder.dateEncodingStrategy = .millisecondsSince1970
        encoder.outputFormatting = .sortedKeys
        return encoder
    }()

    static let storedDecoder: JSONDecoder = {
        let decoder = JSONDecoder()
        decoder.dateDecodingStrategy = .millisecondsSince1970
        return decoder
    }()

    /// A state as a store keeps it: read by `StoredStateReader` (far cheaper; a console reads every
    /// state for its first frame), or by `storedDecoder` when the reader declines the text.
    init(stored text: String, of key: Projection.Key) throws(SlipwayError) {
        if let state = StoredStateReader.state(from: text) {
            self = state
            return
        }
        do {
            self = try Self.storedDecoder.decode(DeploymentState.self, from: Data(text.utf8))
        } catch {
            throw SlipwayError(.unreadableStoredState(
                component: key.component, environment: key.environment, problem: Self.problem(decoding: error)))
        }
    }

    private static func field(_ context: DecodingError.Context) -> String {
        context.codingPath.isEmpty ? "the state" : "'\(context.codingPath.map(\.stringValue).joined(separator: "."))'"
    }

    /// What JSONDecoder found wrong, in a few words rather than its whole description.
    private static func problem(decoding error: any Error) -> String {
        switch error as? DecodingError {
        case .dataCorrupted:
            "not JSON"
        case .keyNotFound(let key, _):
            "no '\(key.stringValue)'"
        case .typeMismatch(_, let context):
            "\(field(context)) has the wrong type"
        case .valueNotFound(_, let context):
            "\(field(context)) is null"
        default:
            "\(error)"
        }
    }
}
