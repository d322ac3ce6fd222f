import SlipwayCore

/// Keeps the console's copy of the projection and the latest events up to date by folding only
/// the events appended since the last read, rather than decoding every deployment's state again.
/// The store's projection is the same fold (`Projection.apply`), so both agree; a full read
/// still happens on every heartbeat and after a large gap (decoding only the states whose stored
/// text changed since the last), and tells which deployments it changed.
struct FleetFollower {
    /// More new events than this at once: read the stored projection instead of folding them.
    static let gapLimit = 1000

    private(set) var projection = Projection()
    /// Newest first, at most `eventLimit`.
    private(set) var events: [Event] = []
    private(set) var lastEventID: Int64?
    /// The deployments the last catch-up changed: those it folded events into, or after a full
    /// read those whose stored state differs from the copy before it (another process may have
    /// rebuilt the stored projection); nil after the first read, with nothing to compare.
    private(set) var changed: Set<Projection.Key>?
    let eventLimit: Int
    /// The last full read, for the next to decode only the states whose stored text changed.
    private var stored: StoredProjectionRead?
    /// The deployments new events went into since the last full read.
    private var foldedSinceRead: Set<Projection.Key> = []

    init(eventLimit: Int) {
        self.eventLimit = eventLimit
    }

    /// Reads what changed; `full` reads everything again.
    mutating func catchUp(_ engine: Engine, full: Bool) throws(SlipwayError) {
        if !full, let lastEventID {
            let new = try engine.events(after: lastEventID, limit: Self.gapLimit)
            if new.count < Self.gapLimit {
                for event in new { projection.apply(event) }
                changed = Set(new.compactMap { event in
                    event.component.flatMap { component in
                        event.environment.map { Projection.Key(component: component, environment: $0) }
                    }
                })
                foldedSinceRead.formUnion(changed ?? [])
                events = Array((new.reversed() + events).prefix(eventLimit))
                self.lastEventID = new.last?.id ?? lastEventID
                return
            }
        }
        let before = projection
        // The projection first, then the events: an event appended in between is left for the
        // next heartbeat's full read, rather than folded twice.
        let read = try engine.storedProjection(since: stored)
        stored = read
        projection = read.projection
        events = try engine.latestEvents(limit: eventLimit)
        lastEventID = events.first?.id ?? 0
        // A state neither reread nor folded into since the last full read is the one both hold.
        changed = read.reread.map { reread in
            reread.union(foldedSinceRead).filter { before.states[$0] != projection.states[$0] }
        }
        foldedSinceRead = []
    }
}
