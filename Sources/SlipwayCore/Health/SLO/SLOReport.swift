import Foundation

/// Every objective of every component and environment with stored minutes, at one moment:
/// what `slipway slo` prints and what the console's health screen reads.
public struct SLOReport: Sendable, Equatable, Codable {
    public struct Entry: Sendable, Equatable, Codable {
        public var component: String
        public var environment: String
        public var status: SLOStatus
    }

    public var minute: Int
    public var entries: [Entry]

    /// Reads the store's minutes for the workspace's components (objectives from their
    /// settings), optionally in one environment, evaluated over the complete minutes before `now`.
    public init(store: EventStore, workspace: Workspace, environment: String?, now: Date = Date()) throws(SlipwayError) {
        minute = SLIMinute.number(of: now)
        var wanted: [(objective: ServiceLevelObjective, windows: SLIWindows)] = []
        for subject in try store.sliSubjects() where environment == nil || subject.environment == environment {
            let settings = workspace.components.first { $0.name == subject.component }?.settings.slo ?? SLOSettings()
            for objective in settings.objectives {
                wanted.append((objective, SLIWindows(
                    component: subject.component, environment: subject.environment, objective: objective.name,
                    lengths: [objective.windowMinutes, 60])))
            }
        }
        let sums = try store.sliSums(wanted.map(\.windows), before: minute)
        entries = zip(wanted, sums).map { objective, sums in
            Entry(
                component: objective.windows.component, environment: objective.windows.environment,
                status: SLOStatus(objective: objective.objective, window: sums[0], lastHour: sums[1]))
        }
    }
}
