import Foundation

/// The append-only event log part of a store, whichever database keeps it: the embedded SQLite
/// `EventStore` or a team's shared `PostgresEventStore`.
///
/// Ids grow with every append and become visible in order, so a reader that asks for the events
/// after the last id it saw never skips one.
public protocol EventLog: Sendable {
    /// Where the log is, for messages: a file path, or a connection string with its password masked.
    var location: String { get }

    /// Appends `events` in one transaction, their payloads masked, and returns them as recorded.
    @discardableResult
    func append(_ events: [NewEvent]) async throws(SlipwayError) -> [Event]

    /// Up to `limit` events with an id above `id` (only `component`'s when given), oldest first.
    func events(after id: Int64, limit: Int, component: String?) async throws(SlipwayError) -> [Event]

    /// The id of the newest event; 0 when there is none.
    func latestEventID() async throws(SlipwayError) -> Int64

    /// Every event after `id` (only `component`'s when given) as it is recorded, oldest first,
    /// each once; it ends only when the consuming task is cancelled or the log fails for good.
    func follow(after id: Int64, component: String?) -> AsyncThrowingStream<Event, any Error>
}

extension EventLog {
    /// Every event of the log folded into a projection from scratch, page by page.
    public func foldEvents(pageSize: Int = 10_000) async throws(SlipwayError) -> Projection {
        var projection = Projection()
        var last: Int64 = 0
        while true {
            let page = try await events(after: last, limit: pageSize, component: nil)
            for event in page { projection.apply(event) }
            guard let newest = page.last, page.count == pageSize else { return projection }
            last = newest.id
        }
    }

    /// A follower that reads the log again every `interval`: for a log with no way to be told of
    /// a new event.
    func pollingFollow(after id: Int64, component: String?, interval: Duration) -> AsyncThrowingStream<Event, any Error> {
        let page = 1000
        return AsyncThrowingStream { continuation in
            let reader = Task {
                var last = id
                do {
                    while true {
                        let events = try await events(after: last, limit: page, component: component)
                        for event in events {
                            continuation.yield(event)
                            last = event.id
                        }
                        if events.count < page { try await Task.sleep(for: interval) }
                    }
                } catch is CancellationError {
                    continuation.finish()
                } catch {
                    continuation.finish(throwing: error)
                }
            }
            continuation.onTermination = { _ in reader.cancel() }
        }
    }
}
