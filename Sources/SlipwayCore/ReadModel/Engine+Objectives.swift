import Foundation

/// Objective queries: every SLO's figures at a moment, and one objective's recorded minutes.
extension Engine {
    /// Every objective with stored minutes, optionally in one environment, evaluated over the
    /// complete minutes before `moment`.
    public func sloReport(environment: String? = nil, at moment: Date = Date()) throws(SlipwayError) -> SLOReport {
        try SLOReport(store: store, workspace: workspace, environment: environment, now: moment)
    }

    /// The minutes recorded for one objective from minute `since` on (any order, with gaps).
    public func sliMinutes(
        component: String, environment: String, objective: String, since: Int
    ) throws(SlipwayError) -> [SLIMinute] {
        try store.sliMinutes(component: component, environment: environment, objective: objective, since: since)
    }
}
