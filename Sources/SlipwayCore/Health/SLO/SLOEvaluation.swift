import Foundation

/// One alert evaluation of every objective with stored minutes, at one minute: the store sums
/// each window the burn-rate rules and the budget need (look-ups, not 30 days of minutes per
/// objective), and each objective's alerting goes on from its earlier state.
public struct SLOEvaluation: Sendable {
    /// Alerting by `component/environment/objective`, after this evaluation.
    public private(set) var states: [String: SLOAlerting] = [:]
    /// The states that changed, or were not known before, to store.
    public private(set) var changed: [AlertStateRecord] = []
    /// What changed, to raise.
    public private(set) var alerts: [Alert] = []

    /// Evaluates over the complete minutes before `now`. `earlier` is the state after the last
    /// evaluation in this process; `stored`, what the store kept, is read for keys it lacks.
    public init(
        store: EventStore, workspace: Workspace, earlier: [String: SLOAlerting], stored: [AlertStateRecord] = [],
        now: Date = Date()
    ) throws(SlipwayError) {
        let minute = SLIMinute.number(of: now)
        let kept = Dictionary(stored.map { (Self.key($0.component, $0.environment, $0.objective), $0) }) { first, _ in first }
        var pending: [(key: String, state: SLOAlerting, windows: SLIWindows)] = []
        for subject in try store.sliSubjects() {
            let settings = workspace.components.first { $0.name == subject.component }?.settings.slo ?? SLOSettings()
            for objective in settings.objectives {
                let key = Self.key(subject.component, subject.environment, objective.name)
                var state = earlier[key] ?? kept[key]?.alerting(objective: objective) ?? SLOAlerting(objective: objective)
                // Changed settings: what was told of the old objective says nothing about the new one.
                if state.objective != objective { state = SLOAlerting(objective: objective) }
                pending.append((key, state, SLIWindows(
                    component: subject.component, environment: subject.environment, objective: objective.name,
                    lengths: state.windowLengths)))
            }
        }
        // Every objective's windows in one read: one store round for the whole pass.
        let sums = try store.sliSums(pending.map(\.windows), before: minute)
        for (objective, objectiveSums) in zip(pending, sums) {
            let (key, before, windows) = objective
            var state = before
            let counts = Dictionary(
                uniqueKeysWithValues: zip(windows.lengths, objectiveSums.map { SLICounts(total: $0.total, bad: $0.bad) }))
            for change in state.evaluate(SLOWindows(end: minute, counts: counts)) {
                alerts.append(Alert(change, component: windows.component, environment: windows.environment, time: now))
            }
            if state != before || earlier[key] == nil {
                changed.append(AlertStateRecord(
                    component: windows.component, environment: windows.environment, alerting: state, evaluatedAt: now))
            }
            states[key] = state
        }
    }

    static func key(_ component: String, _ environment: String, _ objective: String) -> String {
        "\(component)/\(environment)/\(objective)"
    }
}
