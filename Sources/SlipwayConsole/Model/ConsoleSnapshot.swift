import SlipwayCore

/// What one read of the store (and the agent) gave: everything the top screens show.
struct ConsoleSnapshot: Equatable, Sendable {
    let rows: [FleetRow]
    /// The rows grouped into the fleet's lines, and the environments in workspace order: made
    /// once per load (off the terminal thread), not on every key.
    let components: [FleetComponent]
    let environments: [String]
    let textLengths: FleetTextLengths
    /// How many deployments hold a release waiting for a switch.
    let waitingForSwitch: Int
    /// Newest first.
    var runs: [RunRecord]
    var states: [Projection.Key: DeploymentState]
    var slots: [SlotRecord]
    var routes: [RouteRecord]
    /// The router's per-colour counts as the agent reports them; nil when the agent is down.
    var metrics: [AgentResponse.Route]?
    /// The most recent events, newest first.
    var events: [Event]
    /// The latest canary of each component and environment that had one.
    var canaries: [CanaryPanel]
    /// Every objective with recorded minutes, in component and environment order.
    var objectives: [SLOLine]
    /// Each component database against its RPO and RTO, as `backup status --json` gives them.
    var recovery: [DatabaseBackupStatus]
    /// Each declared projection that was ever rebuilt, with its newest rebuild's progress.
    var projections: [ProjectionRebuild]
    /// Most severe first.
    var alerts: [FiringAlert]
    /// Requests awaiting approval under the two-person rule, oldest first.
    var approvals: [RequestRecord]
    /// The DNS records `switch: dns` components move, from the workspace's config.
    var cutovers: [DNSCutoverPanel]
    /// The agent's latest reading of each cloud component's traffic from its platform.
    var platform: [PlatformReading]
    /// Each component on several hosts, per environment, as the hosts' agents last published it;
    /// none for a past moment, which has no hosts' records.
    var hosts: [HostPanel]

    init(
        rows: [FleetRow] = [], runs: [RunRecord] = [], states: [Projection.Key: DeploymentState] = [:],
        slots: [SlotRecord] = [], routes: [RouteRecord] = [], metrics: [AgentResponse.Route]? = nil, events: [Event] = [],
        canaries: [CanaryPanel] = [], objectives: [SLOLine] = [], recovery: [DatabaseBackupStatus] = [],
        projections: [ProjectionRebuild] = [], alerts: [FiringAlert] = [], approvals: [RequestRecord] = [],
        cutovers: [DNSCutoverPanel] = [], platform: [PlatformReading] = [], hosts: [HostPanel] = [],
        regrouping previous: ConsoleSnapshot? = nil
    ) {
        self.rows = rows
        // The previous grouping, where only a few rows changed (an event's), costs those rows only.
        if let previous, let lines = FleetComponent.regroup(previous.components, from: previous.rows, to: rows) {
            components = lines
            environments = previous.environments
            textLengths = previous.textLengths
        } else {
            components = FleetComponent.group(rows)
            environments = FleetComponent.environments(in: rows)
            textLengths = FleetTextLengths(components)
        }
        waitingForSwitch = rows.count { $0.ready != nil }
        self.runs = runs
        self.states = states
        self.slots = slots
        self.routes = routes
        self.metrics = metrics
        self.events = events
        self.canaries = canaries
        self.objectives = objectives
        self.recovery = recovery
        self.projections = projections
        self.alerts = alerts
        self.approvals = approvals
        self.cutovers = cutovers
        self.platform = platform
        self.hosts = hosts
    }

    func canary(_ component: String, _ environment: String) -> CanaryPanel? {
        canaries.first { $0.component == component && $0.environment == environment }
    }

    func state(_ component: String, _ environment: String) -> DeploymentState? {
        states[Projection.Key(component: component, environment: environment)]
    }

    func route(_ component: String, _ environment: String) -> RouteRecord? {
        routes.first { $0.component == component && $0.environment == environment }
    }

    func metrics(_ component: String, _ environment: String) -> AgentResponse.Route? {
        metrics?.first { $0.component == component && $0.environment == environment }
    }

    func reading(_ component: String, _ environment: String) -> PlatformReading? {
        platform.first { $0.component == component && $0.environment == environment }
    }

    func cutover(_ component: String, _ environment: String) -> DNSCutoverPanel? {
        cutovers.first { $0.component == component && $0.environment == environment }
    }

    func hosts(_ component: String, _ environment: String) -> HostPanel? {
        hosts.first { $0.component == component && $0.environment == environment }
    }

    func slots(_ component: String, _ environment: String) -> [SlotRecord] {
        slots.filter { $0.component == component && $0.environment == environment }
    }
}
