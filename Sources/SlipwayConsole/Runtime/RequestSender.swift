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
        case .approve(let id, _):
            do {
                let record = try engine.approve(requestID: id)
                let count = "\(record.approvedBy.count) of \(record.approvalsNeeded) approvals"
                guard record.state == .pending else { return report("done: \(request.title): \(count)") }
                // Its requester's command hands it to the agent; one must run for when that command is gone.
                try await AgentClient(workspace: engine.workspace.root, statePath: engine.statePath).start()
                report("done: \(request.title): \(count); it runs now")
            } catch {
                report("failed: \(request.title): \(error.message)")
            }
        case .deny(let id, _, let reason):
            do {
                try engine.deny(requestID: id, reason: reason)
                report("done: \(request.title): \(reason)")
            } catch {
                report("failed: \(request.title): \(error.message)")
            }
        case .run(let run):
            do {
                let handle = try await engine.request(run)
                let awaiting = engine.approvalRule(in: run.environment) == nil ? "" : ", awaiting approval"
                report("asked: \(request.title) (run \(handle.id)\(awaiting))")
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
