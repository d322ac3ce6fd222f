import Foundation

/// Executes a `RunPlan` in this process: records it, holds its lock, beats its heartbeat,
/// streams each stage's output to `output` and, in batches, to the store, and records how it ended.
public struct RunExecutor: Sendable {
    public var store: EventStore
    /// This machine's state folder, where the crash points of tests are armed.
    public var stateFolder: URL
    public var masker: SecretMasker
    /// Where output lines go as they come (already masked), e.g. the terminal.
    public var output: @Sendable (String) -> Void
    /// Seconds between heartbeats (and checks for a cancel request).
    public var heartbeatInterval: Duration = .milliseconds(500)
    /// The environment commands start from: the requester's (nil: this process's).
    public var environment: [String: String]?

    public init(store: EventStore, stateFolder: URL, masker: SecretMasker, output: @escaping @Sendable (String) -> Void) {
        self.store = store
        self.stateFolder = stateFolder
        self.masker = masker
        self.output = output
    }

    public func execute(
        _ plan: RunPlan, origin: String, cancellation: CancellationFlag = CancellationFlag()
    ) async throws(SlipwayError) -> RunResult {
        let identity = ProcessIdentity.current
        let now = Date()
        let record = RunRecord(
            id: plan.id, kind: plan.kind, component: plan.component, environment: plan.environment,
            version: plan.version, state: .running, actor: store.actor, origin: origin, host: identity.host,
            pid: identity.pid, pidStartTime: identity.startTime, startedAt: now, heartbeatAt: now,
            finishedAt: nil, cancelRequested: false, reason: nil)
        try store.begin(
            record, lock: plan.takesLock,
            details: EventDetails(
                runKind: plan.kind, version: plan.version, commit: plan.commit, forced: plan.forced ? true : nil,
                origin: origin, pid: Int(identity.pid)))
        if let checkpoint = plan.checkpoint { try store.saveCheckpoint(checkpoint, requestID: plan.id) }
        return try await run(plan, from: 0, headline: "run \(plan.id): \(plan.title)", cancellation: cancellation)
    }

    /// Goes on with a run whose executor died, from stage `index` (the one it was in), in this
    /// process; its earlier stages succeeded and are not run again.
    public func resume(
        _ plan: RunPlan, from index: Int, cancellation: CancellationFlag = CancellationFlag()
    ) async throws(SlipwayError) -> RunResult {
        let stage = index < plan.stages.count ? plan.stages[index].name : nil
        try store.adopt(runID: plan.id, by: .current, stage: stage)
        return try await run(
            plan, from: index, headline: "run \(plan.id): resumed by agent \(getpid())\(stage.map { " at \($0)" } ?? "")",
            cancellation: cancellation)
    }

    private func run(
        _ plan: RunPlan, from first: Int, headline: String, cancellation: CancellationFlag
    ) async throws(SlipwayError) -> RunResult {
        let store = self.store
        let interval = heartbeatInterval
        let heartbeat = Task {
            while !Task.isCancelled {
                if (try? store.heartbeat(runID: plan.id)) == true { cancellation.set() }
                try? await Task.sleep(for: interval)
            }
        }
        defer { heartbeat.cancel() }

        // Lines said before the run began (by whoever executes a request) come first.
        let recorder = RunOutputRecorder(
            store: store, runID: plan.id, after: (try? store.lastOutputSequence(runID: plan.id)) ?? -1)
        emit(headline, to: recorder)
        var failedStage: String?
        var reason: String?
        var state = RunState.succeeded
        for stage in plan.stages[min(first, plan.stages.count)...] {
            if cancellation.isSet {
                state = .cancelled
                reason = "cancelled before \(stage.name)"
                break
            }
            let started = Date()
            try store.append(NewEvent(
                .stageStarted, component: plan.component, environment: plan.environment, runID: plan.id,
                details: EventDetails(runKind: plan.kind, stage: stage.name)))
            emit("==> \(stage.name): \(stage.description)", to: recorder)
            let log = StageLog(cancellation: cancellation) { line in emit(line, to: recorder) }
            let status: Int32
            var failure: String?
            switch stage.work {
            case .command(var command):
                command.baseEnvironment = command.baseEnvironment ?? environment
                do {
                    status = try await ChildProcess.run(command, cancellation: cancellation) { line in log(line) }
                } catch {
                    log("slipway: \(error.message)")
                    status = 127
                }
            case .native(_, let perform):
                do {
                    try await perform(log)
                    status = 0
                } catch {
                    log("slipway: \(error.message)")
                    failure = error.message
                    status = 1
                }
            }
            let outcome = status == 0 ? "succeeded" : (cancellation.isSet ? "cancelled" : "failed")
            // A stage's output is stored whole before its end is: whoever reads that it ended
            // (or finds it ended after a crash) finds all it said.
            await recorder.flush()
            try store.append(NewEvent(
                .stageFinished, component: plan.component, environment: plan.environment, runID: plan.id,
                details: EventDetails(
                    runKind: plan.kind, stage: stage.name, outcome: outcome, exitCode: Int(status),
                    seconds: Date().timeIntervalSince(started))))
            CrashPoint(onceIn: stateFolder).reach("after-stage-\(stage.name)")
            if status != 0, stage.continuesAfterFailure, !cancellation.isSet {
                failedStage = failedStage ?? stage.name
                state = .failed
                reason = reason ?? failure.map { "\(stage.name): \($0)" } ?? "\(stage.name) failed"
                continue
            }
            if status != 0 {
                failedStage = failedStage ?? stage.name
                if cancellation.isSet {
                    state = .cancelled
                    reason = "cancelled during \(stage.name)"
                } else {
                    state = .failed
                    reason = reason ?? failure.map { "\(stage.name): \($0)" } ?? "\(stage.name) failed with exit code \(status)"
                }
                break
            }
        }

        var events = state == .succeeded ? plan.successEvents : (state == .failed ? plan.failureEvents : [])
        for index in events.indices { events[index].runID = plan.id }
        events.append(NewEvent(
            .runFinished, component: plan.component, environment: plan.environment, runID: plan.id,
            details: EventDetails(
                runKind: plan.kind, version: plan.version, stage: failedStage, outcome: state.rawValue, reason: reason)))
        // Said before the run is marked finished, so whoever follows it reads this line too.
        emit("run \(plan.id): \(state.rawValue)\(reason.map { " (\($0))" } ?? "")", to: recorder)
        await recorder.flush()
        try store.finish(runID: plan.id, state: state, reason: reason, events: events)
        return RunResult(runID: plan.id, state: state, failedStage: failedStage, reason: reason)
    }

    private func emit(_ line: String, to recorder: RunOutputRecorder) {
        let masked = masker.mask(line)
        recorder.record(masked)
        output(masked)
    }
}
