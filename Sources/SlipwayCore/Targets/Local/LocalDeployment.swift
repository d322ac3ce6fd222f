import Foundation

/// The `local` target run by Slipway itself: a release built once into
/// `.slipway/releases/<component>/<version>/`, started in the idle colour's slot by the agent,
/// health-gated before any traffic moves, switched by the router, and watched after the switch.
/// Each step is a named stage, as kamal-proxy's deploy path is.
public struct LocalDeployment: Sendable {
    public var engine: Engine
    public var component: Component
    public var environment: String

    public init(engine: Engine, component: Component, environment: String) {
        self.engine = engine
        self.component = component
        self.environment = environment
    }

    /// Whether `component` runs natively: target `local` and a `run:` setting or a `run` goal.
    public static func applies(to component: Component) -> Bool {
        component.target == "local" && (component.settings.run != nil || component.hasGoal("run"))
    }

    var agent: AgentClient { AgentClient(workspace: engine.workspace.root, statePath: engine.statePath) }
    var clock: any EngineClock { engine.clock }

    /// Asks the agent, starting (or restarting) it first when none answers: a new agent adopts
    /// the router and slots the old one left running. The socket call runs off the cooperative
    /// threads, which the agent's own runs share.
    func call(_ request: AgentRequest) async throws(SlipwayError) -> AgentResponse {
        let agent = self.agent
        try await agent.start()
        return try await agent.send(request)
    }

    /// The agent's slots and routes (with latency histograms when `metrics`), the agent started first.
    func status(metrics: Bool = false) async throws(SlipwayError) -> AgentResponse.Status {
        let agent = self.agent
        try await agent.start()
        return try await agent.status(metrics: metrics)
    }

    /// The port of the component's route, which the agent makes when there is none yet.
    func routePort(port: Int? = nil, host: String? = nil) async throws(SlipwayError) -> Int {
        let request = AgentRequest.ensureRoute(component: component.name, environment: environment, port: port, host: host)
        let response = try await call(request)
        guard case .route(let bound) = response else { throw agent.unexpected(response, to: request) }
        return bound
    }

    /// The command that runs a release, and where it runs.
    func runCommand(release: URL) -> (command: [String], directory: URL) {
        if let run = component.settings.run { return (["sh", "-c", run], release) }
        return (["make", "--no-print-directory", "-C", component.directory.path, "run", "SLIPWAY_RELEASE_DIR=\(release.path)"],
                component.directory)
    }

    // MARK: Stages

    /// Stages of a deploy of `version` to the idle colour `color`, switching away from `liveColor`.
    public func stages(version: String, color: SlotColor, liveColor: SlotColor?, source: URL) -> [RunPlan.Stage] {
        let release = engine.releaseDirectory(of: component, version: version)
        let health = component.settings.health
        var stages = [
            RunPlan.Stage(name: "build", description: "release \(version) into \(release.path)") { log throws(SlipwayError) in
                try buildRelease(from: source, into: release, log: log)
            },
            RunPlan.Stage(name: "deploy", description: "start \(version) in the \(color) slot") { log throws(SlipwayError) in
                _ = try await startSlot(version: version, color: color, release: release, log: log)
            },
            RunPlan.Stage(name: "health-check", description: "GET \(health.path) on the \(color) slot until 2xx") { log throws(SlipwayError) in
                let port = try await slotPort(color: color)
                do throws(SlipwayError) {
                    try await probeUntilHealthy(port: port, color: color, log: log)
                } catch {
                    log("stopping the \(color) slot: no traffic moved")
                    _ = try? await call(.stopSlot(component: component.name, environment: environment, color: color))
                    throw error
                }
            },
        ]
        if !component.settings.prePromotion.isEmpty {
            stages.append(RunPlan.Stage(
                name: "pre-promotion", description: "\(component.settings.prePromotion.count) check(s) against the \(color) slot"
            ) { log throws(SlipwayError) in
                try await checkBeforePromotion(color: color, version: version, log: log)
            })
        }
        guard component.settings.autoPromote else { return stages }
        return stages + promotionStages(version: version, color: color, switchBackTo: liveColor)
    }

    /// The health gate of a switch by hand: `GET health.path` on the slot that gets the traffic.
    public func healthGate(color: SlotColor) -> RunPlan.Stage {
        RunPlan.Stage(name: "health-check", description: "GET \(component.settings.health.path) on the \(color) slot") { log throws(SlipwayError) in
            try await probeUntilHealthy(port: try await slotPort(color: color), color: color, log: log)
        }
    }

    /// Moves every request to `color` at once.
    public func switchStage(to color: SlotColor) -> RunPlan.Stage {
        RunPlan.Stage(name: "switch-traffic", description: "send traffic to \(color)") { log throws(SlipwayError) in
            try await switchTraffic(to: color, log: log)
        }
    }

    /// The stages that give `color` the traffic and watch it: a deploy's last two, and a manual
    /// promotion's (`auto_promote: false`) whole work after its health check.
    public func promotionStages(version: String, color: SlotColor, switchBackTo liveColor: SlotColor?) -> [RunPlan.Stage] {
        [trafficStage(version: version, color: color, liveColor: liveColor), postPromotionStage(switchBackTo: liveColor)]
    }

    /// Watches the live address for the component's `post_promotion` window, which ends at
    /// `deadline` when a new agent resumes the watch (nil: the window starts now).
    public func postPromotionStage(switchBackTo liveColor: SlotColor?, deadline: Date? = nil) -> RunPlan.Stage {
        let window = component.settings.postPromotion
        let path = component.settings.health.path
        return RunPlan.Stage(name: "post-promotion", description: "watch \(path) for \(DurationText.format(window))") { log throws(SlipwayError) in
            let end = deadline ?? clock.now().addingTimeInterval(window)
            try await watchAfterSwitch(until: end, window: window, switchBackTo: liveColor, log: log)
        }
    }

    /// A canary whose agent died mid-step cannot be judged on figures nobody watched: it ends
    /// safe, every request back on `stable` and the canary's slot stopped.
    public func abandonedCanaryStage(canary: SlotColor, stable: SlotColor) -> RunPlan.Stage {
        RunPlan.Stage(name: "canary", description: "end the canary left by a dead agent safely") { log throws(SlipwayError) in
            try await rollBack(to: stable, stopping: canary, log: log)
            throw SlipwayError(.target(.canaryAbandoned(stable: stable)))
        }
    }

    /// Runs each `pre_promotion` command against the idle slot (Argo Rollouts' pre-promotion
    /// analysis); the first that fails stops the slot, and no traffic moves.
    func checkBeforePromotion(color: SlotColor, version: String, log: StageLog) async throws(SlipwayError) {
        let port = try await slotPort(color: color)
        for check in component.settings.prePromotion {
            log("pre-promotion: \(check)")
            var command = StageCommand(
                executable: "sh", arguments: ["-c", check], directory: component.directory,
                environment: [
                    "SLIPWAY_URL": "http://127.0.0.1:\(port)", "SLIPWAY_COLOR": color.rawValue, "SLIPWAY_VERSION": version,
                    "SLIPWAY_ENV": environment,
                ])
            command.baseEnvironment = engine.environment.isEmpty ? nil : engine.environment
            let status = try await ChildProcess.run(command, cancellation: log.cancellation) { line in log(line) }
            guard status == 0 else {
                log("stopping the \(color) slot: no traffic moved")
                _ = try? await call(.stopSlot(component: component.name, environment: environment, color: color))
                throw SlipwayError(.target(.checkFailed(command: check, status: status)))
            }
        }
    }

    /// How traffic moves to the new release: all at once, or (strategy canary, with a live
    /// colour to compare against) in judged steps.
    func trafficStage(version: String, color: SlotColor, liveColor: SlotColor?) -> RunPlan.Stage {
        let deployment = component.settings.deployment
        if deployment.strategy == .canary, let liveColor {
            return CanaryRollout(
                traffic: self, store: engine.store, clock: clock, component: component.name, environment: environment,
                version: version, canaryColor: color, stableColor: liveColor, policy: deployment.canaryPolicy
            ).stage
        }
        return switchStage(to: color)
    }

    // MARK: Steps

    func buildRelease(from source: URL, into release: URL, log: StageLog) throws(SlipwayError) {
        let manager = FileManager.default
        if manager.fileExists(atPath: release.appendingPathComponent(".slipway-release").path) {
            log("release already built, reusing \(release.path)")
            return
        }
        let staging = release.deletingLastPathComponent().appendingPathComponent(".building-\(release.lastPathComponent)-\(getpid())")
        do {
            try manager.createDirectory(at: release.deletingLastPathComponent(), withIntermediateDirectories: true)
            try? manager.removeItem(at: staging)
            try manager.copyItem(at: source, to: staging)
            try? manager.removeItem(at: staging.appendingPathComponent(".slipway"))
            try "component=\(component.name)\nbuilt=\(TimeText.rfc3339(Date()))\n"
                .write(to: staging.appendingPathComponent(".slipway-release"), atomically: true, encoding: .utf8)
            try? manager.removeItem(at: release)
            try manager.moveItem(at: staging, to: release)
        } catch {
            try? manager.removeItem(at: staging)
            throw .failure("cannot build the release into \(release.path): \(error.localizedDescription)")
        }
        log("built \(release.path)")
    }

    func startSlot(version: String, color: SlotColor, release: URL, log: StageLog) async throws(SlipwayError) -> Int {
        let bind = component.settings.bindAddress
        let routePort = try await routePort(port: component.settings.port, host: bind)
        log("router for \(component.name) in \(environment) on http://\(bind):\(routePort)")
        let (command, directory) = runCommand(release: release)
        let request = AgentRequest.startSlot(
            component: component.name, environment: environment, color: color, version: version, command: command,
            directory: directory.path,
            variables: ["SLIPWAY_COLOR": color.rawValue, "SLIPWAY_VERSION": version, "SLIPWAY_ENV": environment])
        let response = try await call(request)
        guard case .slotStarted(let port, let pid) = response else { throw agent.unexpected(response, to: request) }
        log("started \(version) in the \(color) slot on port \(port) (pid \(pid))")
        return port
    }

    /// The slot of `color` if it is running.
    func runningSlot(color: SlotColor) async throws(SlipwayError) -> SlotRecord? {
        try await status().slots.first {
            $0.component == component.name && $0.environment == environment && $0.color == color.rawValue && $0.state == .running
        }
    }

    func slotPort(color: SlotColor) async throws(SlipwayError) -> Int {
        guard let slot = try await runningSlot(color: color) else {
            throw SlipwayError(.target(.slotNotRunning(component: component.name, color: color, environment: environment, toSwitchTo: false)))
        }
        return slot.port
    }

    /// One probe.
    func probe(port: Int, throughRouter: Bool) async -> Result<HTTPProbe.Response, SlipwayError> {
        let health = component.settings.health
        var probe = HTTPProbe(port: port, path: health.path, timeout: health.timeout)
        if throughRouter { probe.host = IPAddressText.reachable(component.settings.bindAddress) }
        return await probe.perform()
    }

    /// One check of what users reach: the router's stable address, and the live colour behind it.
    func checkLive(log: StageLog) async throws(SlipwayError) {
        let health = component.settings.health
        let port = try await routePort()
        switch await probe(port: port, throughRouter: true) {
        case .success(let response) where (200..<300).contains(response.status):
            log("healthy: GET \(health.path) through the router answered \(response.status)")
        case .success(let response):
            throw .failure("GET \(health.path) through the router answered \(response.status) "
                + response.body.trimmingCharacters(in: .whitespacesAndNewlines).prefix(120))
        case .failure(let error):
            throw .failure(error.message)
        }
    }

    /// Probes the slot of `color` until a 2xx, at most `attempts` times; throws with the last answer.
    func probeUntilHealthy(port: Int, color: SlotColor, log: StageLog) async throws(SlipwayError) {
        let health = component.settings.health
        var last = "no answer"
        for attempt in 1...health.attempts {
            if log.cancellation.isSet { throw SlipwayError(.cancelled("during the health check")) }
            switch await probe(port: port, throughRouter: false) {
            case .success(let response) where (200..<300).contains(response.status):
                log("healthy: GET \(health.path) answered \(response.status) (attempt \(attempt))")
                return
            case .success(let response):
                last = "\(response.status) \(response.body.trimmingCharacters(in: .whitespacesAndNewlines).prefix(120))"
            case .failure(let error):
                last = error.message
            }
            if attempt == 1 || attempt % 5 == 0 { log("not healthy yet (attempt \(attempt)/\(health.attempts)): \(last)") }
            if attempt < health.attempts { try? await clock.sleep(seconds: health.interval) }
        }
        throw SlipwayError(.notHealthy(component: component.name, color: color, checks: health.attempts, lastAnswer: last))
    }

    func switchTraffic(to color: SlotColor, log: StageLog) async throws(SlipwayError) {
        _ = try await call(.switchTraffic(
            component: component.name, environment: environment, color: color, greenWeight: nil,
            keepWarm: component.settings.keepWarm))
        log("traffic of \(component.name) in \(environment) now goes to \(color)")
    }

    /// Sends the traffic back to `previous` and records what its release answers now, so the
    /// record never keeps the failed release's health for the colour that took over.
    func switchBack(to previous: SlotColor, log: StageLog) async throws(SlipwayError) {
        try await switchTraffic(to: previous, log: log)
        guard let slot = try? await runningSlot(color: previous) else { return }
        let answer = await probe(port: slot.port, throughRouter: false)
        let healthy = (try? answer.get()).map { (200..<300).contains($0.status) } ?? false
        log("\(previous) (\(slot.version)) answered GET \(component.settings.health.path) \(healthy ? "healthy" : "unhealthy")")
        _ = try? engine.store.append(NewEvent(
            .healthChecked, component: component.name, environment: environment,
            details: EventDetails(version: slot.version, color: previous.rawValue, reason: "after switching back", healthy: healthy)))
    }

    /// Watches the live address until `deadline`; three failing checks in a row switch back. A
    /// deadline already passed (the agent watching died and nobody watched the rest of the
    /// window) cannot vouch for the release: traffic goes back too.
    func watchAfterSwitch(until deadline: Date, window: Double, switchBackTo previous: SlotColor?, log: StageLog) async throws(SlipwayError) {
        guard window > 0 else { return }
        if clock.now() >= deadline {
            guard let previous else {
                log("the post-promotion window passed while no agent watched, and there is no earlier colour to switch back to")
                return
            }
            try await switchBack(to: previous, log: log)
            throw SlipwayError(.target(.postPromotionFailed(watched: false, switchedBackTo: previous)))
        }
        let routePort = try await routePort()
        let health = component.settings.health
        var failures = 0
        while clock.now() < deadline {
            if log.cancellation.isSet { throw SlipwayError(.cancelled("during the post-promotion window")) }
            switch await probe(port: routePort, throughRouter: true) {
            case .success(let response) where (200..<300).contains(response.status):
                failures = 0
            case .success(let response):
                failures += 1
                log("post-promotion check failed: \(response.status) \(response.body.trimmingCharacters(in: .whitespacesAndNewlines).prefix(120))")
            case .failure(let error):
                failures += 1
                log("post-promotion check failed: \(error.message)")
            }
            if failures >= 3 {
                guard let previous else {
                    throw SlipwayError(.target(.postPromotionFailed(watched: true, switchedBackTo: nil)))
                }
                try await switchBack(to: previous, log: log)
                throw SlipwayError(.target(.postPromotionFailed(watched: true, switchedBackTo: previous)))
            }
            try? await clock.sleep(seconds: health.interval)
        }
        log("post-promotion window of \(DurationText.format(window)) passed")
    }
}

/// The router's weights, through the agent.
extension LocalDeployment: WeightedTraffic {
    public func setWeight(_ percent: Int, to canary: SlotColor) async throws(SlipwayError) {
        let green = canary == .green ? percent : 100 - percent
        _ = try await call(.switchTraffic(
            component: component.name, environment: environment, color: canary, greenWeight: green,
            keepWarm: ComponentSettings().keepWarm))
    }

    public func counters() async throws(SlipwayError) -> [String: AgentResponse.ColorCounts] {
        let routes = try await status(metrics: true).routes
        guard let route = routes.first(where: { $0.component == component.name && $0.environment == environment }) else {
            throw SlipwayError(.target(.noRoute(component: component.name, environment: environment)))
        }
        return route.counts ?? [:]
    }

    public func rollBack(to stable: SlotColor, stopping canary: SlotColor, log: StageLog) async throws(SlipwayError) {
        try await switchTraffic(to: stable, log: log)
        log("stopping the \(canary) slot")
        _ = try? await call(.stopSlot(component: component.name, environment: environment, color: canary))
    }
}
