import Foundation

/// The embedded store's event log: its synchronous `append`, `events(after:limit:component:)` and
/// `latestEventID()` serve the protocol as they are. SQLite has no way to tell another process of
/// a commit, so its follower reads again every 200 ms. Its stored projection is `deployment_state`.
extension SQLiteStore: ProjectedEventLog {
    public var location: String { path.path }
    public var eventLog: any ProjectedEventLog { self }

    public func follow(after id: Int64, component: String?) -> AsyncThrowingStream<Event, any Error> {
        pollingFollow(after: id, component: component, interval: .milliseconds(200))
    }

    /// Changes by reading the newest id every `interval`: SQLite tells no other connection of a commit.
    public func changes(every interval: Double, clock: any EngineClock) -> StoreChanges {
        StoreChanges.polling(every: interval, clock: clock) { () throws(SlipwayError) -> Int64 in try self.latestEventID() }
    }

    public func rebuildProjection(
        reporting progress: (@Sendable (_ reached: Int64, _ last: Int64) -> Void)?
    ) throws(SlipwayError) -> StoredProjectionRebuild {
        try rebuild(progress: progress)
    }
}
