import Foundation

/// What a canary needs of a target that moves traffic by weight: set a split, read each
/// colour's cumulative counters, and send everything back. The local target does it through the
/// agent's router; a test gives a stand-in whose figures it chooses.
public protocol WeightedTraffic: Sendable {
    /// Gives `canary` `percent` of the traffic, the other colour the rest.
    func setWeight(_ percent: Int, to canary: SlotColor) async throws(SlipwayError)
    /// Each colour's counters since the router started (`blue`/`green` keys).
    func counters() async throws(SlipwayError) -> [String: AgentResponse.ColorCounts]
    /// Every request to `stable`, and the canary's release stopped.
    func rollBack(to stable: SlotColor, stopping canary: SlotColor, log: StageLog) async throws(SlipwayError)
}

/// A canary after its slot passed the health gate: walks the target's weights through the
/// policy's steps, judges every interval from the per-colour counters, obeys `canary
/// pause|resume|promote|abort`, and on failure sends every request back to the stable colour and
/// stops the canary's slot. Time comes from the engine's clock, so a test runs a 30-minute
/// canary in virtual time.
public struct CanaryRollout: Sendable {
    public var traffic: any WeightedTraffic
    public var store: EventStore
    public var clock: any EngineClock
    public var component: String
    public var environment: String
    public var version: String
    public var canaryColor: SlotColor
    public var stableColor: SlotColor
    public var policy: CanaryPolicy
    /// A paused canary nobody resumes within this many seconds is rolled back, so no deploy waits forever.
    public var pauseLimit: Double = 24 * 3600
    /// How often commands (pause, promote, ...) are looked for between checks.
    public var pollInterval: Double = 0.05

    public init(
        traffic: any WeightedTraffic, store: EventStore, clock: any EngineClock, component: String, environment: String,
        version: String, canaryColor: SlotColor, stableColor: SlotColor, policy: CanaryPolicy
    ) {
        self.traffic = traffic
        self.store = store
        self.clock = clock
        self.component = component
        self.environment = environment
        self.version = version
        self.canaryColor = canaryColor
        self.stableColor = stableColor
        self.policy = policy
    }

    func now() -> Date { clock.now() }

    public var stage: RunPlan.Stage {
        RunPlan.Stage(
            name: "canary",
            description: "move traffic to \(canaryColor) in steps of \(policy.steps.map { "\($0)%" }.joined(separator: ", ")), "
                + "judged every \(DurationText.format(policy.interval))"
        ) { log throws(SlipwayError) in
            try await run(log: log)
        }
    }

    /// Runs the canary to promotion; throws when it was rolled back.
    public func run(log: StageLog) async throws(SlipwayError) {
        let runID = try store.lock(component: component, environment: environment)?.runID ?? "unknown"
        // Commands left from an earlier canary are not meant for this one.
        _ = try store.takeCanaryCommands(component: component, environment: environment)
        var progress = CanaryProgress(policy: policy, startedAt: now())
        let record = { (progress: CanaryProgress, change: String?) throws(SlipwayError) in
            try store.save(
                CanaryRecord(
                    component: component, environment: environment, runID: runID, version: version,
                    canaryColor: canaryColor.rawValue, stableColor: stableColor.rawValue, progress: progress, updatedAt: now()),
                event: change.map {
                    NewEvent(.canaryChanged, component: component, environment: environment, runID: runID,
                             details: EventDetails(version: version, color: canaryColor.rawValue, reason: $0))
                })
        }
        if policy.steps.first == 100 {
            _ = progress.promote()
        } else {
            try await setWeight(progress.weight, log: log)
            try record(progress, "step 1 of \(policy.steps.count): \(progress.weight)% to \(canaryColor)")
        }
        var baseline = try await traffic.counters()
        var nextCheck = now().addingTimeInterval(policy.interval)
        var pausedAt: Date?
        while !progress.isFinished {
            var action = CanaryProgress.Action.none
            if log.cancellation.isSet { action = progress.rollBack(reason: "the deploy was cancelled") }
            for command in try store.takeCanaryCommands(component: component, environment: environment) {
                log("\(command.actor) asked to \(command.command.rawValue) the canary")
                switch command.command {
                case .pause: action = progress.pause(reason: "paused by \(command.actor)")
                case .resume: action = progress.resume(at: now())
                case .promote: action = progress.promote()
                case .abort: action = progress.rollBack(reason: "aborted by \(command.actor)")
                }
                if progress.phase == .running, pausedAt != nil {
                    // Traffic seen while paused was not watched by anyone: start a fresh interval.
                    pausedAt = nil
                    baseline = try await traffic.counters()
                    nextCheck = now().addingTimeInterval(policy.interval)
                    try record(progress, "resumed by \(command.actor) at \(progress.weight)%")
                }
            }
            if progress.phase == .running, now() >= nextCheck {
                let latest = try await traffic.counters()
                let check = CanaryAnalysis.judge(
                    canary: ColorInterval(from: baseline[canaryColor.rawValue], to: latest[canaryColor.rawValue] ?? Self.empty),
                    stable: ColorInterval(from: baseline[stableColor.rawValue], to: latest[stableColor.rawValue] ?? Self.empty),
                    policy: policy)
                baseline = latest
                nextCheck = now().addingTimeInterval(policy.interval)
                log(describe(check, weight: progress.weight))
                action = progress.record(check, at: now())
            }
            if progress.phase == .paused {
                pausedAt = pausedAt ?? now()
                if let pausedAt, now().timeIntervalSince(pausedAt) >= pauseLimit {
                    action = progress.rollBack(reason: "paused for \(DurationText.format(pauseLimit)) without a decision")
                }
            }
            switch action {
            case .none:
                try record(progress, nil)
            case .setWeight(let weight):
                try await setWeight(weight, log: log)
                try record(progress, "step \(progress.stepIndex + 1) of \(policy.steps.count): \(weight)% to \(canaryColor)")
            case .pause(let reason):
                log("canary paused at \(progress.weight)%: \(reason); resume, promote or abort it with slipway canary")
                try record(progress, "paused at \(progress.weight)%: \(reason)")
            case .promote, .rollBack:
                break
            }
            if !progress.isFinished { try? await clock.sleep(seconds: pollInterval) }
        }
        if progress.phase == .promoted {
            try await setWeight(100, log: log)
            try record(progress, "promoted: \(canaryColor) serves every request")
            return
        }
        let reason = progress.reason ?? "rolled back"
        try await traffic.rollBack(to: stableColor, stopping: canaryColor, log: log)
        try record(progress, "rolled back: \(reason)")
        throw SlipwayError(.target(.canaryRolledBack(version: version, reason: reason)))
    }

    static let empty = AgentResponse.ColorCounts(requests: 0, errors5xx: 0, connectionErrors: 0, p95Milliseconds: nil)

    /// Gives the canary `weight` percent of the component's traffic.
    func setWeight(_ weight: Int, log: StageLog) async throws(SlipwayError) {
        try await traffic.setWeight(weight, to: canaryColor)
        log("\(weight)% of \(component) in \(environment) now goes to \(canaryColor) (\(version))")
    }

    func describe(_ check: CanaryAnalysis.Check, weight: Int) -> String {
        func figures(_ interval: ColorInterval) -> String {
            let rate = interval.errorRate.map { CanaryAnalysis.percent($0) } ?? "-"
            let p95 = interval.p95Milliseconds.map { CanaryAnalysis.milliseconds($0) } ?? "-"
            return "\(interval.requests) requests, \(rate) failed, p95 \(p95)"
        }
        let verdict = check.reasons.isEmpty ? check.verdict.rawValue : "\(check.verdict.rawValue): \(check.reasons.joined(separator: "; "))"
        let latency = check.verdict == .inconclusive || CanaryAnalysis.comparesLatency(canary: check.canary, stable: check.stable)
            ? "" : " (p95s not compared: fewer than \(CanaryAnalysis.requestsForLatency) requests on a side)"
        return "check at \(weight)%: canary \(figures(check.canary)); stable \(figures(check.stable)) -> \(verdict)\(latency)"
    }
}
