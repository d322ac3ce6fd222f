/// One component in one environment, as `status` and the console's fleet screen show it.
public struct FleetRow: Sendable, Equatable, Codable {
    public var component: String
    public var kind: Component.Kind
    public var environment: String
    public var technology: String
    public var target: String
    public var liveVersion: String?
    public var liveColor: String?
    /// `healthy`, `unhealthy` or `unknown`.
    public var health: String
    public var url: String?
    /// The run deploying or rolling it back now, if any.
    public var runningRun: String?
    public var lastOutcome: String?

    enum CodingKeys: String, CodingKey {
        case component, kind, environment, technology, target, liveVersion = "live_version", liveColor = "live_color"
        case health, url, runningRun = "running_run", lastOutcome = "last_outcome"
    }

    /// Rows for every component and environment, in workspace then environment order.
    public static func rows(workspace: Workspace, projection: Projection) -> [FleetRow] {
        workspace.components.flatMap { component in
            workspace.config.environments.map { environment in
                let state = projection.states[.init(component: component.name, environment: environment.name)]
                let health: String
                if let reading = state?.lastHealth, state?.liveVersion != nil {
                    health = reading.healthy ? "healthy" : "unhealthy"
                } else {
                    health = "unknown"
                }
                return FleetRow(
                    component: component.name, kind: component.kind, environment: environment.name,
                    technology: component.technology, target: component.target, liveVersion: state?.liveVersion,
                    liveColor: state?.liveColor, health: health, url: component.settings.urls[environment.name],
                    runningRun: state?.runsInProgress.first { $0.kind == .deploy || $0.kind == .rollback }?.runID,
                    lastOutcome: state?.lastDeploy?.outcome)
            }
        }
    }
}
