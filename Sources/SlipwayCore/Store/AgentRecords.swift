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

extension AgentRecords {
    /// What a recovery records, each event saying where it came from: every running slot started,
    /// and each route's traffic on its live colour's slot.
    func recoveryEvents(reason: String) -> [NewEvent] {
        var events: [NewEvent] = []
        for slot in slots where slot.state == .running {
            events.append(NewEvent(.slotStarted, component: slot.component, environment: slot.environment, details: EventDetails(
                version: slot.version, color: slot.color, reason: reason)))
        }
        for route in routes {
            guard let live = route.liveColor,
                  let slot = slots.first(where: { $0.component == route.component && $0.environment == route.environment && $0.color == live })
            else { continue }
            events.append(NewEvent(.trafficSwitched, component: route.component, environment: route.environment, details: EventDetails(
                version: slot.version, color: live, reason: reason)))
        }
        return events
    }
}
