import Foundation

extension PostgresStore {
    public func latestEvents(limit: Int) throws(SlipwayError) -> [Event] {
        throw SlipwayError.failure("latestEvents is not on the shared PostgreSQL store yet")
    }

    public func latestEvents(kind: EventKind, limit: Int) throws(SlipwayError) -> [Event] {
        throw SlipwayError.failure("latestEvents is not on the shared PostgreSQL store yet")
    }

    public func events(forRun runID: String) throws(SlipwayError) -> [Event] {
        throw SlipwayError.failure("events is not on the shared PostgreSQL store yet")
    }

    public func events(kind: EventKind, component: String, environment: String) throws(SlipwayError) -> [Event] {
        throw SlipwayError.failure("events is not on the shared PostgreSQL store yet")
    }

    public func events(kinds: [EventKind], component: String, environment: String) throws(SlipwayError) -> [Event] {
        throw SlipwayError.failure("events is not on the shared PostgreSQL store yet")
    }

    public func releases(component: String, environment: String) throws(SlipwayError) -> [ReleaseTag] {
        throw SlipwayError.failure("releases is not on the shared PostgreSQL store yet")
    }

    public func projection(at moment: Date) throws(SlipwayError) -> Projection {
        throw SlipwayError.failure("projection is not on the shared PostgreSQL store yet")
    }

    public func projection(through id: Int64) throws(SlipwayError) -> Projection {
        throw SlipwayError.failure("projection is not on the shared PostgreSQL store yet")
    }

    public func lastEvent(atOrBefore moment: Date) throws(SlipwayError) -> EventMark? {
        throw SlipwayError.failure("lastEvent is not on the shared PostgreSQL store yet")
    }

    public func event(steps: Int, from id: Int64) throws(SlipwayError) -> EventMark? {
        throw SlipwayError.failure("event is not on the shared PostgreSQL store yet")
    }

    public func latestEvent() throws(SlipwayError) -> EventMark? {
        throw SlipwayError.failure("latestEvent is not on the shared PostgreSQL store yet")
    }

    public func latestEvents(limit: Int, through id: Int64) throws(SlipwayError) -> [Event] {
        throw SlipwayError.failure("latestEvents is not on the shared PostgreSQL store yet")
    }

    public func latestEvents(kind: EventKind, limit: Int, through id: Int64) throws(SlipwayError) -> [Event] {
        throw SlipwayError.failure("latestEvents is not on the shared PostgreSQL store yet")
    }

    public func runs(asOf moment: Date, limit: Int) throws(SlipwayError) -> [RunRecord] {
        throw SlipwayError.failure("runs is not on the shared PostgreSQL store yet")
    }
}
