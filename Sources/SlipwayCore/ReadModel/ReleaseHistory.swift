/// A component's release tags in one environment and the version live there, read together.
public struct ReleaseHistory: Sendable, Equatable {
    /// Newest first, one per version.
    public var tags: [ReleaseTag]
    public var liveVersion: String?

    public init(tags: [ReleaseTag], liveVersion: String?) {
        self.tags = tags
        self.liveVersion = liveVersion
    }

    public func isLive(_ tag: ReleaseTag) -> Bool { tag.version == liveVersion }
}
