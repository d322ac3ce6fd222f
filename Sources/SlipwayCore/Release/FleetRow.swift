import Foundation

/// One component in one environment, as `status` and the console's fleet screen show it.
public struct FleetRow: Sendable, Equatable, Codable {
    public var component: String
    public var kind: ComponentKind
    public var environment: String
    public var technology: String
    public var target: String
    public var liveVersion: String?
    public var liveColor: String?
    public var health: HealthState
    /// When the health shown was last checked (the agent's latest probe for a release behind its
    /// router, else the last recorded check).
    public var healthCheckedAt: Date?
    public var url: String?
    /// The run deploying or rolling it back now, if any.
    public var runningRun: String?
    public var lastOutcome: String?
    /// A healthy release waiting in the idle colour for a switch by hand.
    public var ready: DeploymentState.ReadyRelease?
    /// The colour the platform itself sends the traffic to, when `status --refresh` read it back.
    public private(set) var platformColor: String?
    /// The version the platform itself serves, when `status --refresh` read it back.
    public private(set) var platformVersion: String?
    /// Whether the platform and the store disagree on the live colour or version (a change they
    /// did not both see, such as a rollback made in the platform's own dashboard).
    public private(set) var drift = false

    /// Takes in the live colour read back from the platform.
    public mutating func record(platformColor color: String) {
        platformColor = color
        drift = drift || liveColor != nil && liveColor != color
    }

    /// Takes in the version read back from the platform.
    public mutating func record(platformVersion version: String) {
        platformVersion = version
        drift = drift || liveVersion != version
    }

    /// What the version column says: the live version, and the one the platform serves when they differ.
    public var versionText: String {
        let text = liveVersion ?? "-"
        guard let platformVersion, platformVersion != liveVersion else { return text }
        return "\(text) (drift: the platform serves \(platformVersion))"
    }

    /// What the colour column says: the live colour, and a release waiting for a switch.
    public var colorText: String {
        var text = liveColor ?? "-"
        if drift, let platformColor { text += " (drift: the platform sends traffic to \(platformColor))" }
        guard let ready else { return text }
        return "\(text); \(ready.color) \(ready.version) ready, waiting for switch"
    }

    public init(
        component: String, kind: ComponentKind, environment: String, technology: String, target: String,
        liveVersion: String? = nil, liveColor: String? = nil, health: HealthState = .unknown, healthCheckedAt: Date? = nil,
        url: String? = nil,
        runningRun: String? = nil, lastOutcome: String? = nil, ready: DeploymentState.ReadyRelease? = nil
    ) {
        self.component = component
        self.kind = kind
        self.environment = environment
        self.technology = technology
        self.target = target
        self.liveVersion = liveVersion
        self.liveColor = liveColor
        self.health = health
        self.healthCheckedAt = healthCheckedAt
        self.url = url
        self.runningRun = runningRun
        self.lastOutcome = lastOutcome
        self.ready = ready
    }

    enum CodingKeys: String, CodingKey {
        case component, kind, environment, technology, target, liveVersion = "live_version", liveColor = "live_color"
        case health, healthCheckedAt = "health_checked_at", url, runningRun = "running_run", lastOutcome = "last_outcome", ready
        case platformColor = "platform_color", platformVersion = "platform_version", drift
    }

    /// Absent values are written as `null`, so every key is always there for scripts.
    public func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(component, forKey: .component)
        try container.encode(kind, forKey: .kind)
        try container.encode(environment, forKey: .environment)
        try container.encode(technology, forKey: .technology)
        try container.encode(target, forKey: .target)
        try container.encode(liveVersion, forKey: .liveVersion)
        try container.encode(liveColor, forKey: .liveColor)
        try container.encode(health, forKey: .health)
        try container.encode(healthCheckedAt, forKey: .healthCheckedAt)
        try container.encode(url, forKey: .url)
        try container.encode(runningRun, forKey: .runningRun)
        try container.encode(lastOutcome, forKey: .lastOutcome)
        try container.encode(ready, forKey: .ready)
        try container.encode(platformColor, forKey: .platformColor)
        try container.encode(platformVersion, forKey: .platformVersion)
        try container.encode(drift, forKey: .drift)
    }

    /// Rows for every component and environment, in workspace then environment order.
    /// `routes` give local components their router's address as the URL (this host's router's when
    /// it has one); `probes` are the agents' latest probes (the newest counts), and `agentIsAlive`
    /// whether an agent still probes.
    public static func rows(
        workspace: Workspace, projection: Projection, routes: [RouteRecord] = [], probes: [LiveProbe] = [],
        agentIsAlive: Bool = true, now: Date = Date()
    ) -> [FleetRow] {
        workspace.components.flatMap { component in
            workspace.config.environments.map { environment in
                row(component, environment.name, projection: projection, routes: routes, probes: probes, agentIsAlive: agentIsAlive, now: now)
            }
        }
    }

    /// The same rows as `rows(workspace:projection:routes:probes:agentIsAlive:now:)`, made again only
    /// where they can differ from `previous` (the rows of the same workspace before): the deployments
    /// in `changed` (those the events since then were folded into) and those with a route, now or in
    /// `previousRoutes`, whose URL and health also depend on the probes and the time. So an event
    /// costs the rows it touches, not the whole fleet.
    public static func rows(
        updating previous: [FleetRow], changed: Set<Projection.Key>, previousRoutes: [RouteRecord],
        workspace: Workspace, projection: Projection, routes: [RouteRecord] = [], probes: [LiveProbe] = [],
        agentIsAlive: Bool = true, now: Date = Date()
    ) -> [FleetRow] {
        let environments = workspace.config.environments.map(\.name)
        guard previous.count == workspace.components.count * environments.count else {
            return rows(workspace: workspace, projection: projection, routes: routes, probes: probes, agentIsAlive: agentIsAlive, now: now)
        }
        var rows = previous
        let routed = (routes + previousRoutes).map { Projection.Key(component: $0.component, environment: $0.environment) }
        for key in changed.union(routed) {
            guard let environmentIndex = environments.firstIndex(of: key.environment) else { continue }
            // Every component of that name: two kinds may share one.
            for (componentIndex, component) in workspace.components.enumerated() where component.name == key.component {
                rows[componentIndex * environments.count + environmentIndex] = row(
                    component, key.environment, projection: projection, routes: routes, probes: probes, agentIsAlive: agentIsAlive,
                    now: now)
            }
        }
        return rows
    }

    private static func row(
        _ component: Component, _ environment: String, projection: Projection, routes: [RouteRecord], probes: [LiveProbe],
        agentIsAlive: Bool, now: Date
    ) -> FleetRow {
        let state = projection.states[.init(component: component.name, environment: environment)]
        let ofRow = routes.filter { $0.component == component.name && $0.environment == environment }
        let route = ofRow.first { $0.hostName == ProcessIdentity.hostName } ?? ofRow.first
        let probe = probes.filter { $0.component == component.name && $0.environment == environment }
            .max { $0.checkedAt < $1.checkedAt }
        let (health, checkedAt) = Self.health(
            of: state, probedBy: route == nil ? nil : (probe, agentIsAlive), interval: component.settings.health.interval,
            now: now)
        return FleetRow(
            component: component.name, kind: component.kind, environment: environment,
            technology: component.technology, target: component.target, liveVersion: state?.liveVersion,
            liveColor: state?.liveColor, health: health, healthCheckedAt: checkedAt,
            url: component.settings.urls[environment] ?? route?.url,
            runningRun: state?.runsInProgress.first { $0.kind == .deploy || $0.kind == .rollback }?.runID,
            lastOutcome: state?.lastDeploy?.outcome, ready: state?.ready)
    }

    /// Health as a fact with an age. A release the agent probes (`probedBy` given) is `stale`
    /// while the agent is down, and `unknown` when neither a probe nor a recorded check is younger
    /// than three intervals (5 s at least); others show their last recorded check.
    static func health(
        of state: DeploymentState?, probedBy probing: (probe: LiveProbe?, agentIsAlive: Bool)?, interval: Double, now: Date
    ) -> (HealthState, Date?) {
        guard state?.liveVersion != nil, let reading = state?.lastHealth else { return (.unknown, nil) }
        let recorded: HealthState = reading.healthy ? .healthy : .unhealthy
        guard let probing else { return (recorded, reading.time) }
        let checkedAt = max(probing.probe?.checkedAt ?? .distantPast, reading.time)
        guard probing.agentIsAlive else { return (.stale, checkedAt) }
        guard now.timeIntervalSince(checkedAt) <= max(3 * interval, 5) else { return (.unknown, checkedAt) }
        return (recorded, checkedAt)
    }
}
