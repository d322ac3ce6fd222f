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

    /// Runs `request` and exits 1 unless it succeeded. Ctrl-C cancels it either way; killing
    /// this process does not stop a run the agent executes.
    func perform(_ request: RunRequest, engine: Engine) async throws {
        let cancellation = CancellationFlag()
        SignalTrap.cancel(cancellation)
        let result: RunResult
        if inProcess {
            result = try await engine.perform(request, cancellation: cancellation)
        } else {
            result = try await engine.request(request, noWait: noWait).follow(cancellation: cancellation)
        }
        if !result.succeeded { throw ExitCode(1) }
    }
}
