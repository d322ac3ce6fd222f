import Foundation
import SlipwayCore

/// Evaluates every objective with stored minutes once a minute and raises what changed as
/// alerts (burn-rate rules firing or clearing, budget thresholds crossed). The state lives in
/// memory: a new agent reports afresh what is true when it starts.
final class SLOWatch {
    let root: URL
    let store: EventStore
    private var alerting: [String: SLOAlerting] = [:]
    private var lastMinute: Int?

    init(root: URL, store: EventStore) {
        self.root = root
        self.store = store
    }

    func evaluate(now: Date = Date()) {
        let minute = EventStore.minute(of: now)
        guard lastMinute != minute, let workspace = try? Workspace.load(at: root),
              let subjects = try? store.sliSubjects() else { return }
        lastMinute = minute
        for subject in subjects {
            let settings = workspace.components.first { $0.name == subject.component }?.settings.slo ?? SLOSettings()
            for objective in settings.objectives {
                let key = "\(subject.component)/\(subject.environment)/\(objective.name)"
                guard let minutes = try? store.sliMinutes(
                    component: subject.component, environment: subject.environment, objective: objective.name,
                    since: minute - objective.windowMinutes) else { continue }
                var state = alerting[key] ?? SLOAlerting(objective: objective)
                for change in state.evaluate(SLOSeries(minutes), at: minute) {
                    do {
                        try store.raise(
                            Alert(change, component: subject.component, environment: subject.environment, time: now),
                            sinks: workspace.config.alerts.sinks)
                    } catch {
                        FileHandle.standardError.write(Data("slipway agent: cannot raise an alert: \(error)\n".utf8))
                    }
                }
                alerting[key] = state
            }
        }
    }
}
