import Foundation
import SlipwayCore

/// Hands a confirmed action to the engine linked into the console: a run is recorded in the
/// store and executed by the agent, so it goes on when the console quits; its progress comes
/// back through the store like any other run's. Says in one line that it was asked (or why it
/// was refused) and, for a run, how it ended.
struct RequestSender: Sendable {
    let engine: Engine

    init(engine: Engine) {
        var engine = engine
        engine.origin = "console"
        // The run's lines are on the runs screen; the console's terminal is not theirs.
        engine.output = { _ in }
        self.engine = engine
    }

    /// Blocks until the run ends: call it off the terminal thread.
    func send(_ request: ConsoleRequest, report: @escaping @Sendable (String) -> Void) async {
        switch request {
        case .canary(let command, let component, let environment):
            do {
                try engine.authorize(.steerCanary, environment: environment, component: component)
                try engine.store.request(command, component: component, environment: environment)
                report("done: \(request.title)")
            } catch {
                report("failed: \(request.title): \(error.message)")
            }
        case .run(let run):
            do {
                let handle = try await engine.request(run)
                report("asked: \(request.title) (run \(handle.id))")
                let result = try await handle.follow()
                report(result.succeeded
                    ? "done: \(request.title)"
                    : "failed: \(request.title): \(result.reason ?? result.state.rawValue)")
            } catch {
                report("failed: \(request.title): \(error.message)")
            }
        }
    }
}
