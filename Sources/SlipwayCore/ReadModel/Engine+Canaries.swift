/// Canary queries: one component's latest canary, or every one with the state of its run.
extension Engine {
    /// The latest canary of `component` in `environment`, nil when it never had one.
    public func canary(component: String, environment: String) throws(SlipwayError) -> CanaryRecord? {
        try store.canary(component: component, environment: environment)
    }

    /// Every component's latest canary, in component and environment order, with the state of
    /// its run: taken from `knownRuns` when there, else read (nil when the run is not stored).
    public func canaries(knownRuns: [RunRecord] = []) throws(SlipwayError) -> [CanaryReading] {
        try store.canaries().map { record in
            let state = knownRuns.first { $0.id == record.runID }?.state ?? (try? store.run(id: record.runID))?.state
            return CanaryReading(record: record, runState: state)
        }
    }
}
