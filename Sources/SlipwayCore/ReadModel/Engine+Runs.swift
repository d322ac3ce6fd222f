import Foundation

/// Run queries: the list, one run with its stages and output, and output as it grows.
extension Engine {
    /// The newest runs first.
    public func runs(limit: Int) throws(SlipwayError) -> [RunRecord] {
        try store.runs(limit: limit)
    }

    public func run(id: String) throws(SlipwayError) -> RunRecord {
        try store.run(id: id)
    }

    /// The run `id`, the stages it finished and all its output.
    public func runReport(id: String) throws(SlipwayError) -> RunReport {
        let run = try store.run(id: id)
        let stages = try store.events(forRun: id).filter { $0.knownKind == .stageFinished }.compactMap(\.details)
        return RunReport(run: run, stages: stages, output: try store.output(runID: id))
    }

    /// The run's output lines after `sequence`, oldest first.
    public func output(runID: String, after sequence: Int = -1) throws(SlipwayError) -> [OutputLine] {
        try store.output(runID: runID, after: sequence)
    }
}
