/// What an agent knows of the fleet it supervises, as its store records it: enough for a new
/// store to take the running slots and router over without stopping them.
public struct AgentRecords: Codable, Sendable, Equatable {
    public var routes: [RouteRecord]
    public var slots: [SlotRecord]
    public var router: ProcessRecord?

    public init(routes: [RouteRecord], slots: [SlotRecord], router: ProcessRecord?) {
        self.routes = routes
        self.slots = slots
        self.router = router
    }
}
