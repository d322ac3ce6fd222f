import Foundation
import Logging
import SlipwayCore

/// Evaluates every objective with stored minutes once a minute and raises what changed as
/// alerts (burn-rate rules firing or clearing, budget thresholds crossed). The state is kept in
/// the store with the alerts, so a new agent goes on from where the last one stopped instead of
/// raising again every alert that is still true.
final class SLOWatch {
    let root: URL
    let store: EventStore
    /// Nil until the first evaluation recorded, which starts from the store's state.
    private var alerting: [String: SLOAlerting]?
    private var lastMinute: Int?

    init(root: URL, store: EventStore) {
        self.root = root
        self.store = store
    }

    func evaluate(now: Date = Date()) {
        let minute = SLIMinute.number(of: now)
        guard lastMinute != minute, let workspace = try? Workspace.load(at: root) else { return }
        do {
            let stored = alerting == nil ? try store.alertStates() : []
            let evaluation = try SLOEvaluation(store: store, workspace: workspace, earlier: alerting ?? [:], stored: stored, now: now)
            try store.save(evaluation.changed, raising: evaluation.alerts, routing: workspace.config.alerts)
            alerting = evaluation.states
            lastMinute = minute
        } catch {
            // Not recorded, so not taken: the next tick evaluates this minute again from the last recorded state.
            AgentLog.logger.error("cannot evaluate the alerts: \(error)")
        }
    }
}
