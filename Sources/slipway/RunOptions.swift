import ArgumentParser
import Foundation
import SlipwayCore

/// How a changing command runs: recorded and executed by the agent (the default), or in this
/// process; and whether it waits its turn behind another run of the same component.
struct RunOptions: ParsableArguments {
    @Flag(help: "Run in this process instead of the agent (also SLIPWAY_NO_AGENT=1), for CI machines that want no background process.")
    var local = false

    @Flag(help: "Refuse, naming the run, instead of waiting while another run is changing this component's traffic.")
    var noWait = false

    var inProcess: Bool {
        local || ["1", "true", "yes"].contains(ProcessInfo.processInfo.environment["SLIPWAY_NO_AGENT"]?.lowercased() ?? "")
    }

    /// Runs `request` and exits 1 unless it succeeded, saying why in one line on stderr. Ctrl-C
    /// cancels it either way; killing this process does not stop a run the agent executes.
    func perform(_ request: RunRequest, engine: Engine) async throws {
        let cancellation = CancellationFlag()
        SignalTrap.cancel(cancellation)
        let rollout = StreamedOutput.standard.onATerminal ? Task { await Self.followCanary(of: request, engine: engine) } : nil
        defer {
            rollout?.cancel()
            StreamedOutput.standard.show(canary: nil)
        }
        let result: RunResult
        if inProcess {
            result = try await engine.perform(request, cancellation: cancellation)
        } else {
            result = try await engine.request(request, noWait: noWait).follow(cancellation: cancellation)
        }
        if !result.succeeded {
            // The run's own lines went to stdout as they came; what went wrong also goes where
            // errors go, for a script or CI log that reads stderr alone.
            Entry.printError("\(request.title) \(result.state.rawValue) (run \(result.runID))" + (result.reason.map { ": \($0)" } ?? ""))
            throw ExitCode(1)
        }
    }

    /// Shows the rollout of a canary of the request's component begun after this command started
    /// (not one of an earlier run), read from the store as `canary status` reads it: the agent
    /// may be the one running it.
    static func followCanary(of request: RunRequest, engine: Engine) async {
        let earlier = (try? engine.canary(component: request.component, environment: request.environment))?.runID
        while !Task.isCancelled {
            let record = try? engine.canary(component: request.component, environment: request.environment)
            if let record, record.runID != earlier, let progress = record.decodedProgress, !progress.isFinished {
                StreamedOutput.standard.show(canary: progress.rollout(at: Date()))
            }
            try? await engine.clock.sleep(seconds: 0.25)
        }
    }
}
