/// The engine executing a recorded request in this process: what the agent does for every
/// request, and `--local` does in the asker's process.
extension Engine {
    /// Runs `request` as run `runID` (nil: a fresh id). A promotion whose production checklist
    /// fails is refused before any run begins, and so is a request into an environment with the
    /// two-person rule that `runID` does not show approved. The environment's secrets are
    /// loaded from its provider first: a provider that fails refuses the request.
    public func perform(
        _ request: RunRequest, runID: String? = nil, cancellation: CancellationFlag = CancellationFlag()
    ) async throws(SlipwayError) -> RunResult {
        try authorize(request)
        try requireApproval(of: request, runID: runID)
        let engine = try await withSecrets(for: request.environment)
        switch request {
        case .promote(let promote):
            let outcome = try await Promotion(engine: engine, runID: runID)
                .promote(promote.component, from: promote.from, to: promote.to, overrideGates: promote.overrideGates, cancellation: cancellation)
            guard let result = outcome.result else {
                let failed = outcome.checklist?.items.filter { $0.status == .failed }.map(\.name).joined(separator: ", ") ?? "?"
                throw SlipwayError(.release(.checklistFailed(
                    component: promote.component, version: outcome.version, environment: promote.to, failed: failed)))
            }
            return result
        case .migrate(let migrate):
            return try await MigrationRun(engine: engine, runID: runID).perform(migrate, cancellation: cancellation)
        case .deploy, .switchTraffic, .rollback:
            return try await Deployer(engine: engine, runID: runID).perform(request, cancellation: cancellation)
        }
    }
}
