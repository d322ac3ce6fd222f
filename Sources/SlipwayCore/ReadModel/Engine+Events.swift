import Foundation

/// Event queries: the audit trail, the newest events (of a kind), a run's events, and marks
/// that name a moment of the log.
extension Engine {
    /// The id of the newest event (0 for none): a cheap way to notice another process's writes.
    public func latestEventID() throws(SlipwayError) -> Int64 {
        try store.latestEventID()
    }

    /// Events with an id above `id`, oldest first, optionally of one component.
    public func events(after id: Int64, limit: Int, component: String? = nil) throws(SlipwayError) -> [Event] {
        try store.events(after: id, limit: limit, component: component)
    }

    /// The newest events, newest first; up to event `through` when given.
    public func latestEvents(limit: Int, through id: Int64? = nil) throws(SlipwayError) -> [Event] {
        guard let id else { return try store.latestEvents(limit: limit) }
        return try store.latestEvents(limit: limit, through: id)
    }

    /// The newest events of `kind`, newest first; up to event `through` when given.
    public func latestEvents(kind: EventKind, limit: Int, through id: Int64? = nil) throws(SlipwayError) -> [Event] {
        guard let id else { return try store.latestEvents(kind: kind, limit: limit) }
        return try store.latestEvents(kind: kind, limit: limit, through: id)
    }

    /// The events of run `runID`, oldest first.
    public func events(forRun runID: String) throws(SlipwayError) -> [Event] {
        try store.events(forRun: runID)
    }

    /// The last event recorded at or before `moment`.
    public func eventMark(atOrBefore moment: Date) throws(SlipwayError) -> EventMark? {
        try store.lastEvent(atOrBefore: moment)
    }

    public func latestEventMark() throws(SlipwayError) -> EventMark? {
        try store.latestEvent()
    }

    /// The event `steps` events after event `id` (before it when negative), stopping at either end of the log.
    public func eventMark(steps: Int, from id: Int64) throws(SlipwayError) -> EventMark? {
        try store.event(steps: steps, from: id)
    }
}
