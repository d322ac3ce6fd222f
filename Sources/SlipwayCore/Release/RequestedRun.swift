import Foundation

/// A run asked of the agent: whoever asked follows it through the store, by its id, and can
/// die at any moment without stopping it.
public struct RequestedRun: Sendable {
    public let id: String
    let engine: Engine
    /// Seconds between two reads of the store while the run is quiet.
    var pollInterval = 0.1
    /// Seconds between two reads just after the run printed: its end usually follows its last
    /// lines closely, and a short run should not wait a whole quiet interval to be seen done.
    var briskInterval = 0.01

    /// Prints the run's output as it comes and returns how it ended. `cancellation` (Ctrl-C)
    /// cancels the request, or the run once it has begun, and goes on following to its end. When
    /// the agent executing it is gone, a new one is started: it takes the run over.
    public func follow(cancellation: CancellationFlag = CancellationFlag()) async throws(SlipwayError) -> RunResult {
        let store = engine.store
        var printed = -1
        // The last line the run printed about itself: its headline, then how it ended.
        var lastRunLine = ""
        var cancelAsked = false
        var waitingSaid = false
        var lastRestart = Date.distantPast
        var began = Date()
        var awaitingSaid = false
        var handedOver = false
        var pause = briskInterval
        while true {
            if cancellation.isSet, !cancelAsked {
                cancelAsked = true
                if try store.cancelBeforeRun(requestID: id) {
                    engine.output("request \(id): cancelled before its run began")
                    return RunResult(runID: id, state: .cancelled, failedStage: nil, reason: "cancelled before it began")
                }
                _ = try? store.requestCancel(runID: id)
            }
            var request = try store.request(id: id)
            if request.awaitsApproval, let expiresAt = request.expiresAt, expiresAt <= engine.clock.now() {
                try store.expireOverdueApprovals(now: engine.clock.now())
                request = try store.request(id: id)
            }
            if let refusal = request.refusal {
                // What the executor said before refusing (a production checklist, item by item) comes first.
                for line in try store.output(runID: id, after: printed) { engine.output(line.text) }
                throw refusal
            }
            if request.state == .cancelled {
                return RunResult(runID: id, state: .cancelled, failedStage: nil, reason: "cancelled before it began")
            }
            if request.awaitsApproval {
                if !awaitingSaid {
                    awaitingSaid = true
                    engine.output(awaitingLine(request))
                }
                try? await engine.clock.sleep(seconds: pollInterval)
                continue
            }
            if request.approvalsNeeded > 0, request.state == .pending, !handedOver {
                handedOver = true
                engine.output("request \(id): approved by \(request.approvedBy.joined(separator: ", ")); handing it to the agent")
                try await engine.handOver(requestID: id)
                began = Date()
            }
            // An agent this process started is its child: reap it if it died, so it is seen gone.
            DetachedProcess.reapExited()
            let run = try store.runIfBegun(id: id)
            let printedBefore = printed
            for line in try store.output(runID: id, after: printed) {
                engine.output(line.text)
                printed = line.sequence
                if line.text.hasPrefix("run \(id): ") { lastRunLine = line.text }
            }
            pause = printed != printedBefore ? briskInterval : min(pause * 2, pollInterval)
            // The executor still has work after the run's end (a git release tag, pruning old
            // releases): the request ends when that is done, or when its executor is gone.
            if let run, run.state.isFinal, request.state != .claimed || request.executorIsGone {
                for line in try store.output(runID: id, after: printed) {
                    engine.output(line.text)
                    if line.text.hasPrefix("run \(id): ") { lastRunLine = line.text }
                }
                // A run ended by someone other than its executor (a reaper, or an agent that found
                // it with no checkpoint to resume from) has no closing line of its own: say how it ended.
                let ending = "run \(id): \(run.state.rawValue)"
                if !lastRunLine.hasPrefix(ending) {
                    engine.output(ending + (run.reason.map { " (\($0))" } ?? ""))
                }
                return RunResult(runID: id, state: run.state, failedStage: nil, reason: run.reason)
            }
            let executorGone = run.map { !$0.process.isAlive(lastHeartbeat: $0.heartbeatAt) }
                ?? (request.state == .claimed ? request.executorIsGone : Date().timeIntervalSince(began) > 5)
            if executorGone, Date().timeIntervalSince(lastRestart) > 5 {
                lastRestart = Date()
                engine.output("the agent executing run \(id) is gone: starting one to take it over")
                let agent = AgentClient(workspace: engine.workspace.root, statePath: engine.statePath)
                try await agent.start()
            } else if run == nil, !waitingSaid, Date().timeIntervalSince(began) > 1,
                      let holder = try store.lock(component: request.request.component, environment: request.request.environment) {
                waitingSaid = true
                engine.output("waiting for its turn: run \(holder.runID) of \(holder.actor) is changing \(request.request.component) in \(request.request.environment)")
            }
            try? await engine.clock.sleep(seconds: pause)
        }
    }

    /// `request r1: deploy accounts to production awaits approval by an approver other than bob (expires in 1h): ...`
    private func awaitingLine(_ request: RequestRecord) -> String {
        let approvers = request.approvalsNeeded == 1 ? "an approver" : "\(request.approvalsNeeded) approvers"
        let left = request.expiresAt.map { $0.timeIntervalSince(engine.clock.now()).rounded(.up) }
        let expires = left.map { " (expires in \(TimeText.span($0)))" } ?? ""
        return "request \(id): \(request.request.title) awaits approval by \(approvers) other than \(request.actor)\(expires): "
            + "'slipway approvals approve \(id)'"
    }
}

extension Engine {
    /// Records `request` and hands it to the workspace's agent (started when none runs), with
    /// this process's environment for that run only. Follow the handle to see it through.
    /// Under the two-person rule the request awaits approval instead, and following it hands it
    /// to the agent once approved.
    public func request(_ request: RunRequest, noWait: Bool = false) async throws(SlipwayError) -> RequestedRun {
        try authorize(request)
        let rule = approvalRule(in: request.environment)
        let record = try store.record(request, origin: origin, noWait: noWait, approvalRule: rule, now: clock.now())
        if rule == nil { try await handOver(requestID: record.id) }
        return RequestedRun(id: record.id, engine: self)
    }

    /// Asks the workspace's agent (started when none runs) to execute a recorded request, with
    /// this process's environment for that run only.
    func handOver(requestID id: String) async throws(SlipwayError) {
        let agent = AgentClient(workspace: workspace.root, statePath: statePath, environment: environment)
        try await agent.start()
        _ = try await agent.send(.execute(requestID: id, variables: environment))
    }
}
