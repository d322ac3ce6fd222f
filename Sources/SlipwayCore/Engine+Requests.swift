/// The engine executing a recorded request in this process: what the agent does for every
/// request, and `--local` does in the asker's process.
extension Engine {
    /// Runs `request` as run `runID` (nil: a fresh id). A promotion whose production checklist
    /// fails is refused before any run begins.
    public func perform(
        _ request: RunRequest, runID: String? = nil, cancellation: CancellationFlag = CancellationFlag()
    ) async throws(SlipwayError) -> RunResult {
        switch request {
        case .promote(let promote):
            let outcome = try await Promotion(engine: self, runID: runID)
                .promote(promote.component, from: promote.from, to: promote.to, cancellation: cancellation)
            guard let result = outcome.result else {
                throw .failure("not promoting \(promote.component) \(outcome.version): the \(promote.to) checklist failed")
            }
            return result
        case .deploy, .switchTraffic, .rollback:
            return try await Deployer(engine: self, runID: runID).perform(request, cancellation: cancellation)
        }
    }
}
