import SlipwayCore

/// What one read of the store (and the agent) gave: everything the top screens show.
struct ConsoleSnapshot: Equatable, Sendable {
    var rows: [FleetRow] = []
    /// Newest first.
    var runs: [RunRecord] = []
    var states: [Projection.Key: DeploymentState] = [:]
    var slots: [SlotRecord] = []
    var routes: [RouteRecord] = []
    /// The router's per-colour counts as the agent reports them; nil when the agent is down.
    var metrics: [AgentResponse.Route]?
    /// The most recent events, newest first.
    var events: [Event] = []

    func state(_ component: String, _ environment: String) -> DeploymentState? {
        states[Projection.Key(component: component, environment: environment)]
    }

    func route(_ component: String, _ environment: String) -> RouteRecord? {
        routes.first { $0.component == component && $0.environment == environment }
    }

    func metrics(_ component: String, _ environment: String) -> AgentResponse.Route? {
        metrics?.first { $0.component == component && $0.environment == environment }
    }

    func slots(_ component: String, _ environment: String) -> [SlotRecord] {
        slots.filter { $0.component == component && $0.environment == environment }
    }
}
