import Foundation

/// A canary on the local target, after its slot passed the health gate: walks the router's
/// weights through the policy's steps, judges every interval from the router's per-colour
/// counters, obeys `canary pause|resume|promote|abort`, and on failure sends every request back
/// to the stable colour and stops the canary's slot.
public struct CanaryRollout: Sendable {
    public var deployment: LocalDeployment
    public var version: String
    public var canaryColor: String
    public var stableColor: String
    public var policy: CanaryPolicy
    /// The clock, injectable so the step machine's timing can be driven by a test.
    public var now: @Sendable () -> Date = { Date() }
    /// A paused canary nobody resumes within this many seconds is rolled back, so no deploy waits forever.
    public var pauseLimit: Double = 24 * 3600

    public init(deployment: LocalDeployment, version: String, canaryColor: String, stableColor: String, policy: CanaryPolicy) {
        self.deployment = deployment
        self.version = version
        self.canaryColor = canaryColor
        self.stableColor = stableColor
        self.policy = policy
    }

    var component: String { deployment.component.name }
    var environment: String { deployment.environment }
    var store: EventStore { deployment.engine.store }

    public var stage: RunPlan.Stage {
        RunPlan.Stage(
            name: "canary",
            description: "move traffic to \(canaryColor) in steps of \(policy.steps.map { "\($0)%" }.joined(separator: ", ")), "
                + "judged every \(DurationText.format(policy.interval))"
        ) { log throws(SlipwayError) in
            try run(log: log)
        }
    }

    /// Runs the canary to promotion; throws when it was rolled back.
    public func run(log: StageLog) throws(SlipwayError) {
        let runID = try store.lock(component: component, environment: environment)?.runID ?? "unknown"
        // Commands left from an earlier canary are not meant for this one.
        _ = try store.takeCanaryCommands(component: component, environment: environment)
        var progress = CanaryProgress(policy: policy, startedAt: now())
        let record = { (progress: CanaryProgress, change: String?) throws(SlipwayError) in
            try store.save(
                CanaryRecord(
                    component: component, environment: environment, runID: runID, version: version,
                    canaryColor: canaryColor, stableColor: stableColor, progress: progress, updatedAt: now()),
                event: change.map {
                    NewEvent(.canaryChanged, component: component, environment: environment, runID: runID,
                             details: EventDetails(version: version, color: canaryColor, reason: $0))
                })
        }
        if policy.steps.first == 100 {
            _ = progress.promote()
        } else {
            try setWeight(progress.weight, log: log)
            try record(progress, "step 1 of \(policy.steps.count): \(progress.weight)% to \(canaryColor)")
        }
        var baseline = try snapshot()
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
                    baseline = try snapshot()
                    nextCheck = now().addingTimeInterval(policy.interval)
                    try record(progress, "resumed by \(command.actor) at \(progress.weight)%")
                }
            }
            if progress.phase == .running, now() >= nextCheck {
                let latest = try snapshot()
                let check = CanaryAnalysis.judge(
                    canary: ColorInterval(from: baseline[canaryColor], to: latest[canaryColor] ?? Self.empty),
                    stable: ColorInterval(from: baseline[stableColor], to: latest[stableColor] ?? Self.empty),
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
                try setWeight(weight, log: log)
                try record(progress, "step \(progress.stepIndex + 1) of \(policy.steps.count): \(weight)% to \(canaryColor)")
            case .pause(let reason):
                log("canary paused at \(progress.weight)%: \(reason); resume, promote or abort it with slipway canary")
                try record(progress, "paused at \(progress.weight)%: \(reason)")
            case .promote, .rollBack:
                break
            }
            if !progress.isFinished { usleep(50_000) }
        }
        if progress.phase == .promoted {
            try setWeight(100, log: log)
            try record(progress, "promoted: \(canaryColor) serves every request")
            return
        }
        let reason = progress.reason ?? "rolled back"
        try deployment.switchTraffic(to: stableColor, log: log)
        log("stopping the \(canaryColor) slot")
        _ = try? deployment.call(AgentRequest(.stopSlot, component: component, environment: environment, color: canaryColor))
        try record(progress, "rolled back: \(reason)")
        throw .failure("canary of \(version) rolled back: \(reason)")
    }

    static let empty = AgentResponse.ColorCounts(requests: 0, errors5xx: 0, connectionErrors: 0, p95Milliseconds: nil)

    /// Gives the canary `weight` percent of the component's traffic.
    func setWeight(_ weight: Int, log: StageLog) throws(SlipwayError) {
        let green = canaryColor == "green" ? weight : 100 - weight
        _ = try deployment.call(AgentRequest(
            .switchTraffic, component: component, environment: environment, color: canaryColor, greenWeight: green))
        log("\(weight)% of \(component) in \(environment) now goes to \(canaryColor) (\(version))")
    }

    /// The router's cumulative counters of both colours, with their latency buckets.
    func snapshot() throws(SlipwayError) -> [String: AgentResponse.ColorCounts] {
        let routes = try deployment.call(AgentRequest(.metrics)).routes ?? []
        guard let route = routes.first(where: { $0.component == component && $0.environment == environment }) else {
            throw .failure("the router has no route for \(component) in \(environment)")
        }
        return route.counts ?? [:]
    }

    func describe(_ check: CanaryAnalysis.Check, weight: Int) -> String {
        func figures(_ interval: ColorInterval) -> String {
            let rate = interval.errorRate.map { CanaryAnalysis.percent($0) } ?? "-"
            let p95 = interval.p95Milliseconds.map { CanaryAnalysis.milliseconds($0) } ?? "-"
            return "\(interval.requests) requests, \(rate) failed, p95 \(p95)"
        }
        let verdict = check.reasons.isEmpty ? check.verdict.rawValue : "\(check.verdict.rawValue): \(check.reasons.joined(separator: "; "))"
        return "check at \(weight)%: canary \(figures(check.canary)); stable \(figures(check.stable)) -> \(verdict)"
    }
}
