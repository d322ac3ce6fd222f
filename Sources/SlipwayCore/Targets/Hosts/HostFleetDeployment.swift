import Foundation

/// A `local` component placed on several hosts in an environment (`hosts:`): the run asks each
/// host's agent, through the shared store, to prepare the release in its idle colour, and moves
/// traffic (all ready hosts together, or one by one) only when `min_healthy` of them are
/// healthy. A host whose agent does not take its step, or stops answering mid-step, is reported
/// down and skipped; the run never waits on it past `HostStep.claimWithin` or `HostStep.staleAfter`.
public struct HostFleetDeployment: Sendable {
    public var engine: Engine
    public var component: Component
    public var environment: String
    public var placement: HostPlacement
    /// The longest the run waits between two reads of its hosts' steps: it reads them again as
    /// soon as the store changes (each step's end is an event), and at least this often to see
    /// a host go quiet.
    var pollInterval: Double = 1

    public init(engine: Engine, component: Component, environment: String, placement: HostPlacement) {
        self.engine = engine
        self.component = component
        self.environment = environment
        self.placement = placement
    }

    /// The placement of `component` in `environment`, when it is a local component on named hosts.
    static func placement(of component: Component, in environment: String) -> HostPlacement? {
        guard LocalDeployment.applies(to: component) else { return nil }
        return component.settings.placements[environment]
    }

    var store: any EventStore { engine.store }

    // MARK: Stages

    func prepareStage(version: String, color: SlotColor, runID: String) -> RunPlan.Stage {
        let hosts = placement.hosts.joined(separator: ", ")
        return RunPlan.Stage(name: "prepare-hosts", description: "\(version) healthy in \(color) on \(hosts)") { log throws(SlipwayError) in
            let changes = changeFeed()
            let steps = placement.hosts.map { host in
                HostStep(runID: runID, host: host, kind: .prepare, component: component.name, environment: environment,
                         version: version, color: color, requestedAt: engine.clock.now())
            }
            try store.add(steps)
            log("asked \(hosts) to build \(version) and start it in \(color)")
            let ended = try await wait(for: steps, on: changes, log: log)
            let ready = ended.filter { $0.state == .done }
            guard ready.count >= placement.minHealthy else {
                if !ready.isEmpty {
                    log("stopping the prepared slots: no traffic moves")
                    let aborts = ready.map { step in
                        HostStep(runID: runID, host: step.host, kind: .abort, component: component.name, environment: environment,
                                 version: version, color: step.color, requestedAt: engine.clock.now())
                    }
                    try store.add(aborts)
                    _ = try? await wait(for: aborts, on: changes, log: log)
                }
                throw SlipwayError(.target(.tooFewHealthyHosts(
                    healthy: ready.count, of: placement.hosts.count, needed: placement.minHealthy, problems: problems(in: ended))))
            }
            log("\(ready.count) of \(placement.hosts.count) hosts healthy (min_healthy \(placement.minHealthy))")
        }
    }

    /// Gives the traffic of each host whose prepare of `runID` is done (of every placed host for
    /// a switch by hand, `color` then being the colour) to its prepared colour.
    func switchStage(runID: String, version: String?, color: SlotColor?) -> RunPlan.Stage {
        let order = placement.switchOrder == .together ? "together" : "one by one"
        return RunPlan.Stage(name: "switch-traffic", description: "move each ready host's traffic, \(order)") { log throws(SlipwayError) in
            let changes = changeFeed()
            let prepared = try store.hostSteps(ofRun: runID).filter { $0.kind == .prepare && $0.state == .done }
            let targets: [(host: String, color: SlotColor)] = if let color {
                placement.hosts.map { ($0, color) }
            } else {
                prepared.map { ($0.host, $0.color) }
            }
            let switches = targets.map { target in
                HostStep(runID: runID, host: target.host, kind: .switch, component: component.name, environment: environment,
                         version: version ?? "", color: target.color, requestedAt: engine.clock.now())
            }
            var ended: [HostStep] = []
            switch placement.switchOrder {
            case .together:
                try store.add(switches)
                ended = try await wait(for: switches, on: changes, log: log)
            case .oneByOne:
                for var step in switches {
                    step.requestedAt = engine.clock.now()
                    step.updatedAt = step.requestedAt
                    try store.add([step])
                    ended += try await wait(for: [step], on: changes, log: log)
                }
            }
            let switched = ended.filter { $0.state == .done }
            guard switched.count >= placement.minHealthy else {
                let reverts = try await revert(switched, runID: runID, on: changes, log: log)
                let stuck = reverts.filter { $0.state == .failed }.map { "\($0.host) not switched back: \($0.detail ?? "failed")" }
                throw SlipwayError(.target(.tooFewSwitchedHosts(
                    switched: switched.count, of: placement.hosts.count, needed: placement.minHealthy,
                    switchedBack: reverts.filter { $0.state == .done }.map(\.host), problems: problems(in: ended) + stuck)))
            }
            log("traffic moved on \(switched.count) of \(placement.hosts.count) hosts")
        }
    }

    /// Gives the hosts of `switched` back the colour they served before, so a deploy that does
    /// not stand leaves no host on the new release while the others keep the old one. Returns
    /// the reverts as they ended.
    private func revert(
        _ switched: [HostStep], runID: String, on changes: StoreChanges, log: StageLog
    ) async throws(SlipwayError) -> [HostStep] {
        guard !switched.isEmpty else { return [] }
        log("too few hosts switched: switching \(switched.map(\.host).joined(separator: ", ")) back")
        let reverts = switched.map { step in
            HostStep(runID: runID, host: step.host, kind: .revert, component: component.name, environment: environment,
                     version: step.version, color: step.color.other, requestedAt: engine.clock.now())
        }
        try store.add(reverts)
        return try await wait(for: reverts, on: changes, log: log)
    }

    /// The store's changes a stage's waits share (one listening connection on PostgreSQL), read
    /// at the waits' own pace where the store cannot tell of them (SQLite).
    func changeFeed() -> StoreChanges {
        store.changes(every: min(pollInterval, 0.25), clock: engine.clock)
    }

    /// Waits until each of `steps` ended, calling a host down (and its step failed) once it
    /// looks down; says each end as it comes. Returns the steps as they ended.
    func wait(for steps: [HostStep], on changes: StoreChanges, log: StageLog) async throws(SlipwayError) -> [HostStep] {
        guard let runID = steps.first?.runID else { return [] }
        let asked = Set(steps.map { "\($0.host)/\($0.kind.rawValue)" })
        var told: Set<String> = []
        var seen: Int64 = 0
        while true {
            let current = try store.hostSteps(ofRun: runID).filter { asked.contains("\($0.host)/\($0.kind.rawValue)") }
            let now = engine.clock.now()
            let known = Dictionary(try store.hosts().map { ($0.host, $0) }) { first, _ in first }
            for step in current where !step.state.isFinal {
                if let why = Self.downReason(of: step, known: known[step.host], at: now) {
                    try store.finish(step.finished(.failed, detail: "host down: \(why)", at: now))
                }
            }
            let latest = try store.hostSteps(ofRun: runID).filter { asked.contains("\($0.host)/\($0.kind.rawValue)") }
            for step in latest where step.state.isFinal && !told.contains(step.host) {
                told.insert(step.host)
                log("\(step.host): \(step.kind.rawValue) \(step.state == .done ? "done" : "failed"): \(step.detail ?? "")")
            }
            if latest.count == asked.count, latest.allSatisfy(\.state.isFinal) { return latest }
            if log.cancellation.isSet { throw SlipwayError(.cancelled("while waiting for the hosts")) }
            seen = await changes.wait(after: seen, atMost: pollInterval)
        }
    }

    /// Why the host of an unfinished `step` counts as down at `now`, nil while it may still do it:
    /// its agent said it stopped or was last seen too long ago (the hosts' registry), or it never
    /// took the step or stopped touching it (a host the registry does not know yet).
    static func downReason(of step: HostStep, known host: HostRecord?, at now: Date) -> String? {
        if let host, !host.isUp(at: now) {
            if let stopped = host.stoppedAt { return "its agent stopped at \(TimeText.rfc3339(stopped))" }
            return "its agent was last seen \(Int(now.timeIntervalSince(host.lastSeen))) s ago"
        }
        guard step.hostLooksDown(at: now) else { return nil }
        return step.state == .pending
            ? "its agent did not take the step within \(Int(HostStep.claimWithin)) s"
            : "its agent stopped answering for \(Int(HostStep.staleAfter)) s"
    }

    private func problems(in steps: [HostStep]) -> [String] {
        steps.filter { $0.state == .failed }.map { "\($0.host): \($0.detail ?? "failed")" }
    }
}

extension HostFleetDeployment: DeployTarget {
    public var traffic: TrafficControl { .switchColors }
    public var waitsForSwitch: Bool { false }

    public func releaseStages(version: String, color: SlotColor?, live: SlotColor?, source: URL, runID: String) -> [RunPlan.Stage] {
        let color = color ?? SlotColor.idle(whenLive: live)
        return [prepareStage(version: version, color: color, runID: runID), switchStage(runID: runID, version: version, color: nil)]
    }

    public func trafficMove(to color: SlotColor, state: DeploymentState?, runID: String) async throws(SlipwayError) -> TrafficMove {
        let running = try version(runningIn: color)
        return TrafficMove(
            kind: .switchTo(version: running), stages: [switchStage(runID: runID, version: running, color: color)], confirmedByTarget: true)
    }

    public func liveCheck(state: DeploymentState?, runID: String) -> RunPlan.Stage? {
        RunPlan.Stage(name: "health-check", description: "each host's router, min_healthy \(placement.minHealthy)") { log throws(SlipwayError) in
            let changes = changeFeed()
            let checks = placement.hosts.map { host in
                HostStep(runID: runID, host: host, kind: .check, component: component.name, environment: environment,
                         version: state?.liveVersion ?? "", color: state?.liveColor.flatMap(SlotColor.init(rawValue:)) ?? .blue,
                         requestedAt: engine.clock.now())
            }
            try store.add(checks)
            let ended = try await wait(for: checks, on: changes, log: log)
            let healthy = ended.filter { $0.state == .done }.count
            guard healthy >= placement.minHealthy else {
                throw SlipwayError(.target(.tooFewHealthyHosts(
                    healthy: healthy, of: placement.hosts.count, needed: placement.minHealthy, problems: problems(in: ended))))
            }
        }
    }

    /// Releases are built and kept on each host, not where the run is.
    public func keepsRelease(_ version: String) -> Bool { false }

    /// Each host's releases are its own; nothing to prune where the run is.
    public func pruneReleases(output: (String) -> Void) {}
}
