import Foundation
import Logging
import SlipwayCore

/// A canary is driven by its deploy's process. When that process dies (kill -9, a machine
/// restart), the router keeps the step's split and nothing would ever send the traffic back:
/// the agent notices the run is gone and aborts the canary itself.
extension Agent {
    /// Aborts every unfinished canary whose driving run is no longer running: every request back
    /// to the stable colour, the canary's slot stopped, the canary recorded as rolled back.
    func abortOrphanedCanaries(now: Date = Date()) async {
        guard let canaries = try? store.canaries() else { return }
        let open = canaries.filter { $0.decodedProgress.map { !$0.isFinished } ?? false }
        guard !open.isEmpty else { return }
        // Marks runs whose process is gone as interrupted, as a new deploy would.
        _ = try? store.reapInterruptedRuns()
        for canary in open {
            guard let run = try? store.run(id: canary.runID), run.state != .running,
                  var progress = canary.decodedProgress,
                  let stableColor = SlotColor(rawValue: canary.stableColor),
                  let canaryColor = SlotColor(rawValue: canary.canaryColor) else { continue }
            let reason = "its deploy (run \(run.id), pid \(run.pid) on \(run.host)) \(run.state.rawValue); aborted by the agent"
            // A later run of the component has taken over its slots and traffic: record the canary
            // as over, but leave the traffic to that run.
            let later = (try? store.runs(limit: 100))?.first {
                $0.component == canary.component && $0.environment == canary.environment && $0.id != run.id
                    && $0.startedAt > run.startedAt
            }
            do {
                if let later {
                    _ = progress.rollBack(reason: "\(reason); run \(later.id) has taken over since")
                } else if let stages = try await restoreStages(of: canary) {
                    try await perform(stages, for: canary)
                    _ = progress.rollBack(reason: reason)
                } else {
                    try await switchTraffic(
                        component: canary.component, environment: canary.environment, color: stableColor,
                        greenWeight: stableColor == .green ? 100 : 0, keepWarm: 0)
                    await waitForDrain(component: canary.component, environment: canary.environment, color: canaryColor)
                    try await stopSlot(component: canary.component, environment: canary.environment, color: canaryColor,
                                 reason: "the canary was aborted: \(reason)")
                    _ = progress.rollBack(reason: reason)
                }
                try store.save(
                    CanaryRecord(
                        component: canary.component, environment: canary.environment, runID: canary.runID,
                        version: canary.version, canaryColor: canary.canaryColor, stableColor: canary.stableColor,
                        progress: progress, updatedAt: now),
                    event: NewEvent(
                        .canaryChanged, component: canary.component, environment: canary.environment, runID: canary.runID,
                        details: EventDetails(version: canary.version, color: canary.stableColor,
                                              reason: "rolled back: \(progress.reason ?? reason)")))
            } catch {
                AgentLog.logger.error("cannot abort the canary of \(canary.component) in \(canary.environment): \(error)")
            }
        }
    }

    /// A cloud target's stages back to the stable release (the local router is the agent's own
    /// to switch): a canary run in a process killed with `--local` leaves its split on the platform.
    private func restoreStages(of canary: CanaryRecord) async throws(SlipwayError) -> [RunPlan.Stage]? {
        let engine = try await Engine.open(workspace: root, state: statePath, origin: "agent", output: { line in
            AgentLog.logger.notice("\(canary.component)/\(canary.environment): \(line)")
        })
        return try await TrafficRestoration(engine: engine).canaryRestoreStages(of: canary)
    }

    /// Runs `stages` here, their lines in the agent's log; throws at the first that fails.
    private func perform(_ stages: [RunPlan.Stage], for canary: CanaryRecord) async throws(SlipwayError) {
        let log = StageLog(cancellation: CancellationFlag()) { line in
            AgentLog.logger.notice("\(canary.component)/\(canary.environment): \(line)")
        }
        for stage in stages {
            switch stage.work {
            case .native(_, let perform):
                try await perform(log)
            case .command(let command):
                let status = try await ChildProcess.run(command, cancellation: log.cancellation) { line in log(line) }
                guard status == 0 else { throw .failure("\(stage.name) failed with exit code \(status)") }
            }
        }
    }
}
