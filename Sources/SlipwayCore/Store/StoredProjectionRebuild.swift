/// What a rebuild of a store's stored fleet projection did (`slipway store rebuild`).
public struct StoredProjectionRebuild: Sendable, Equatable {
    /// The projection folded from every event, now the stored one.
    public var projection: Projection
    /// The newest event folded; 0 when the log is empty.
    public var lastEventID: Int64
    /// Whether the stored projection differed from the fold before it was replaced.
    public var storedDiffered: Bool

    public init(projection: Projection, lastEventID: Int64, storedDiffered: Bool) {
        self.projection = projection
        self.lastEventID = lastEventID
        self.storedDiffered = storedDiffered
    }

    /// The one line `slipway store rebuild` says.
    public var summary: String {
        "rebuilt \(projection.states.count) component states from \(lastEventID) events"
            + (storedDiffered ? "; the incremental projection differed and was replaced" : "; identical to the incremental projection")
    }
}
