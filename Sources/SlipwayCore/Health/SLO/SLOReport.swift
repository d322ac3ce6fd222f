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
        minute = EventStore.minute(of: now)
        entries = []
        for subject in try store.sliSubjects() where environment == nil || subject.environment == environment {
            let settings = workspace.components.first { $0.name == subject.component }?.settings.slo ?? SLOSettings()
            for objective in settings.objectives {
                let minutes = try store.sliMinutes(
                    component: subject.component, environment: subject.environment, objective: objective.name,
                    since: minute - objective.windowMinutes)
                entries.append(Entry(
                    component: subject.component, environment: subject.environment,
                    status: SLOStatus(objective: objective, series: SLOSeries(minutes), at: minute)))
            }
        }
    }
}
