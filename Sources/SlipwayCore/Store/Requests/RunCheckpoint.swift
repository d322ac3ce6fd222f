import Foundation

/// What an agent needs to make a run's stages again after the agent that ran it died: the
/// decisions taken when the run was planned (version, colours, source), never re-derived from a
/// projection that the run itself has since changed. Kept beside the request in the store.
public struct RunCheckpoint: Codable, Sendable, Equatable {
    public enum Shape: String, Codable, Sendable {
        /// build, deploy, health-check, [pre-promotion], [switch or canary, post-promotion]
        case deploy
        /// health-check, then the promotion stages of a release that waited for its switch
        case promotion
        /// health-check, switch-traffic
        case switchTraffic = "switch"
    }

    public var shape: Shape
    public var version: String
    public var commit: String?
    /// The colour that gets the traffic.
    public var color: SlotColor
    /// The colour that had it, where a failed watch sends it back.
    public var previousColor: SlotColor?
    /// Where the release is built from (the component's folder, or a worktree of an older commit).
    public var source: String?
    public var successEvents: [NewEvent]
    public var failureEvents: [NewEvent]

    public init(
        shape: Shape, version: String, commit: String?, color: SlotColor, previousColor: SlotColor?, source: String? = nil,
        successEvents: [NewEvent] = [], failureEvents: [NewEvent] = []
    ) {
        self.shape = shape
        self.version = version
        self.commit = commit
        self.color = color
        self.previousColor = previousColor
        self.source = source
        self.successEvents = successEvents
        self.failureEvents = failureEvents
    }
}
