import Foundation

/// The fleet as one read gives it: the projection (folded or read once), the rows made from it,
/// and what the local target keeps beside it (routes, slots, probes), the latest runs, canaries
/// and requests awaiting approval. The console's top screens draw from one of these.
///
/// ReadModel/ is below the engine's own files only (Support <- Workspace <- Store <- Targets <- Release,
/// Pipeline, Gates, Health, Data, Secrets <- ReadModel <- Engine).
public struct FleetSnapshot: Sendable, Equatable {
    public var projection: Projection
    /// Every component in every environment, in workspace then environment order.
    public var rows: [FleetRow]
    /// Newest first.
    public var runs: [RunRecord]
    public var slots: [SlotRecord]
    public var routes: [RouteRecord]
    /// The latest canary of each component and environment that had one.
    public var canaries: [CanaryReading]
    /// Oldest first, as recorded (overdue ones are ended by `requestsAwaitingApproval()`, a write).
    public var approvals: [RequestRecord]

    public init(
        projection: Projection, rows: [FleetRow], runs: [RunRecord] = [], slots: [SlotRecord] = [],
        routes: [RouteRecord] = [], canaries: [CanaryReading] = [], approvals: [RequestRecord] = []
    ) {
        self.projection = projection
        self.rows = rows
        self.runs = runs
        self.slots = slots
        self.routes = routes
        self.canaries = canaries
        self.approvals = approvals
    }
}
