import Foundation

/// Fleet queries: each reads (or folds) the projection once and makes every row from that one read.
extension Engine {
    /// The projection as the store keeps it up to date.
    public func projection() throws(SlipwayError) -> Projection {
        try store.projection()
    }

    /// The projection as stored, decoding only what changed since `previous` where the store can tell.
    public func storedProjection(since previous: StoredProjectionRead?) throws(SlipwayError) -> StoredProjectionRead {
        try store.storedProjection(since: previous)
    }

    /// Every component in every environment now, with health from the agent's latest probes.
    public func fleet() throws(SlipwayError) -> [FleetRow] {
        try fleetRows(projection: try store.projection())
    }

    /// The fleet as it was at `moment`, folded from the events recorded by then. The past has no
    /// live probes: health is the last check recorded by then.
    public func fleet(at moment: Date) throws(SlipwayError) -> [FleetRow] {
        FleetRow.rows(workspace: workspace, projection: try store.projection(at: moment), now: moment)
    }

    /// What the console's top screens show now, from `projection` when the caller keeps one up
    /// to date (the console folds new events itself), else from one read of the store's. With
    /// `previous` (the snapshot before, and the deployments the events folded since then went
    /// into), only the rows those can change are made again.
    public func fleetSnapshot(
        projection known: Projection? = nil, runLimit: Int, previous: (snapshot: FleetSnapshot, changed: Set<Projection.Key>)? = nil
    ) throws(SlipwayError) -> FleetSnapshot {
        let projection: Projection
        if let known { projection = known } else { projection = try store.projection() }
        let routes = try store.routes()
        let runs = try store.runs(limit: runLimit)
        let probes = try store.liveProbes()
        let rows = if let previous {
            FleetRow.rows(
                updating: previous.snapshot.rows, changed: previous.changed, previousRoutes: previous.snapshot.routes,
                workspace: workspace, projection: projection, routes: routes, probes: probes, agentIsAlive: store.agentIsAlive())
        } else {
            FleetRow.rows(
                workspace: workspace, projection: projection, routes: routes, probes: probes, agentIsAlive: store.agentIsAlive())
        }
        return FleetSnapshot(
            projection: projection, rows: rows, runs: runs, slots: try store.slots(), routes: routes, canaries: try canaries(knownRuns: runs),
            approvals: try store.requestsAwaitingApproval())
    }

    /// The fleet right after the event at `mark`: the projection through it (one fold from the
    /// nearest checkpoint) and the runs started by then, as they stood then.
    public func fleetSnapshot(through mark: EventMark, runLimit: Int) throws(SlipwayError) -> FleetSnapshot {
        let projection = try store.projection(through: mark.id)
        return FleetSnapshot(
            projection: projection, rows: FleetRow.rows(workspace: workspace, projection: projection, now: mark.time),
            runs: try store.runs(asOf: mark.time, limit: runLimit))
    }

    /// The state of `component` in `environment`, nil before its first run there.
    public func deploymentState(of component: String, in environment: String) throws(SlipwayError) -> DeploymentState? {
        try store.projection().states[.init(component: component, environment: environment)]
    }

    private func fleetRows(projection: Projection) throws(SlipwayError) -> [FleetRow] {
        FleetRow.rows(
            workspace: workspace, projection: projection, routes: try store.routes(), probes: try store.liveProbes(),
            agentIsAlive: store.agentIsAlive())
    }
}
