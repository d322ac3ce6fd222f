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

    var agent: AgentClient { AgentClient(workspace: engine.workspace.root, statePath: engine.store.path) }

    /// Asks the agent, starting (or restarting) it first when none answers: a new agent adopts
    /// the router and slots the old one left running.
    func call(_ request: AgentRequest) throws(SlipwayError) -> AgentResponse {
        try agent.start()
        return try agent.send(request)
    }

    /// The command that runs a release, and where it runs.
    func runCommand(release: URL) -> (command: [String], directory: URL) {
        if let run = component.settings.run { return (["sh", "-c", run], release) }
        return (["make", "--no-print-directory", "-C", component.directory.path, "run", "SLIPWAY_RELEASE_DIR=\(release.path)"],
                component.directory)
    }

    /// Stages of a deploy of `version` to the idle colour `color`, switching away from `liveColor`.
    public func stages(version: String, color: String, liveColor: String?, source: URL) -> [RunPlan.Stage] {
        let release = engine.releaseDirectory(of: component, version: version)
        let health = component.settings.health
        var stages = [
            RunPlan.Stage(name: "build", description: "release \(version) into \(release.path)") { log throws(SlipwayError) in
                try buildRelease(from: source, into: release, log: log)
            },
            RunPlan.Stage(name: "deploy", description: "start \(version) in the \(color) slot") { log throws(SlipwayError) in
                _ = try startSlot(version: version, color: color, release: release, log: log)
            },
            RunPlan.Stage(name: "health-check", description: "GET \(health.path) on the \(color) slot until 2xx") { log throws(SlipwayError) in
                let port = try slotPort(color: color)
                do throws(SlipwayError) {
                    try probeUntilHealthy(port: port, log: log)
                } catch {
                    log("stopping the \(color) slot: no traffic moved")
                    _ = try? call(AgentRequest(.stopSlot, component: component.name, environment: environment, color: color))
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

    /// The stages that give `color` the traffic and watch it: a deploy's last two, and a manual
    /// promotion's (`auto_promote: false`) whole work after its health check.
    public func promotionStages(version: String, color: String, switchBackTo liveColor: String?) -> [RunPlan.Stage] {
        let health = component.settings.health
        let postPromotion = component.settings.postPromotion
        return [
            trafficStage(version: version, color: color, liveColor: liveColor),
            RunPlan.Stage(name: "post-promotion", description: "watch \(health.path) for \(DurationText.format(postPromotion))") { log throws(SlipwayError) in
                try watchAfterSwitch(for: postPromotion, switchBackTo: liveColor, log: log)
            },
        ]
    }

    /// Runs each `pre_promotion` command against the idle slot (Argo Rollouts' pre-promotion
    /// analysis); the first that fails stops the slot, and no traffic moves.
    func checkBeforePromotion(color: String, version: String, log: StageLog) async throws(SlipwayError) {
        let port = try slotPort(color: color)
        for check in component.settings.prePromotion {
            log("pre-promotion: \(check)")
            let command = StageCommand(
                executable: "sh", arguments: ["-c", check], directory: component.directory,
                environment: [
                    "SLIPWAY_URL": "http://127.0.0.1:\(port)", "SLIPWAY_COLOR": color, "SLIPWAY_VERSION": version,
                    "SLIPWAY_ENV": environment,
                ])
            let status = try await ChildProcess.run(command, cancellation: log.cancellation) { line in log(line) }
            guard status == 0 else {
                log("stopping the \(color) slot: no traffic moved")
                _ = try? call(AgentRequest(.stopSlot, component: component.name, environment: environment, color: color))
                throw .failure("pre-promotion check '\(check)' failed with status \(status); traffic stays where it was")
            }
        }
    }

    /// How traffic moves to the new release: all at once, or (strategy canary, with a live
    /// colour to compare against) in judged steps.
    func trafficStage(version: String, color: String, liveColor: String?) -> RunPlan.Stage {
        let deployment = component.settings.deployment
        if deployment.strategy == .canary, let liveColor {
            return CanaryRollout(
                deployment: self, version: version, canaryColor: color, stableColor: liveColor, policy: deployment.canaryPolicy
            ).stage
        }
        return RunPlan.Stage(name: "switch-traffic", description: "send traffic to \(color)") { log throws(SlipwayError) in
            try switchTraffic(to: color, log: log)
        }
    }

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
            try "component=\(component.name)\nbuilt=\(ISO8601DateFormatter().string(from: Date()))\n"
                .write(to: staging.appendingPathComponent(".slipway-release"), atomically: true, encoding: .utf8)
            try? manager.removeItem(at: release)
            try manager.moveItem(at: staging, to: release)
        } catch {
            try? manager.removeItem(at: staging)
            throw .failure("cannot build the release into \(release.path): \(error.localizedDescription)")
        }
        log("built \(release.path)")
    }

    func startSlot(version: String, color: String, release: URL, log: StageLog) throws(SlipwayError) -> Int {
        let bind = component.settings.bindAddress
        let routePort = try call(AgentRequest(
            .ensureRoute, component: component.name, environment: environment, port: component.settings.port,
            host: bind)).port ?? 0
        log("router for \(component.name) in \(environment) on http://\(bind):\(routePort)")
        let (command, directory) = runCommand(release: release)
        let response = try call(AgentRequest(
            .startSlot, component: component.name, environment: environment, color: color, version: version,
            command: command, directory: directory.path,
            variables: ["SLIPWAY_COLOR": color, "SLIPWAY_VERSION": version, "SLIPWAY_ENV": environment]))
        log("started \(version) in the \(color) slot on port \(response.port ?? 0) (pid \(response.pid ?? 0))")
        return response.port ?? 0
    }

    func slotPort(color: String) throws(SlipwayError) -> Int {
        let status = try call(AgentRequest(.status))
        guard let slot = status.slots?.first(where: {
            $0.component == component.name && $0.environment == environment && $0.color == color && $0.state == "running"
        }) else {
            throw .failure("the \(color) slot of \(component.name) in \(environment) is not running")
        }
        return slot.port
    }

    /// Probes until a 2xx, at most `attempts` times; throws with the last answer.
    func probeUntilHealthy(port: Int, log: StageLog) throws(SlipwayError) {
        let health = component.settings.health
        var last = "no answer"
        for attempt in 1...health.attempts {
            if log.cancellation.isSet { throw .failure("cancelled during the health check") }
            switch HTTPProbe(port: port, path: health.path, timeout: health.timeout).perform() {
            case .success(let response) where (200..<300).contains(response.status):
                log("healthy: GET \(health.path) answered \(response.status) (attempt \(attempt))")
                return
            case .success(let response):
                last = "\(response.status) \(response.body.trimmingCharacters(in: .whitespacesAndNewlines).prefix(120))"
            case .failure(let error):
                last = error.message
            }
            if attempt == 1 || attempt % 5 == 0 { log("not healthy yet (attempt \(attempt)/\(health.attempts)): \(last)") }
            if attempt < health.attempts { usleep(useconds_t(health.interval * 1_000_000)) }
        }
        throw .failure("\(component.name) never became healthy after \(health.attempts) checks; last answer: \(last)")
    }

    func switchTraffic(to color: String, log: StageLog) throws(SlipwayError) {
        _ = try call(AgentRequest(
            .switchTraffic, component: component.name, environment: environment, color: color,
            keepWarm: component.settings.keepWarm))
        log("traffic of \(component.name) in \(environment) now goes to \(color)")
    }

    /// Watches the live address for `seconds`; three failing checks in a row switch back.
    func watchAfterSwitch(for seconds: Double, switchBackTo previous: String?, log: StageLog) throws(SlipwayError) {
        guard seconds > 0 else { return }
        let routePort = try call(AgentRequest(.ensureRoute, component: component.name, environment: environment)).port ?? 0
        let health = component.settings.health
        let deadline = Date().addingTimeInterval(seconds)
        var failures = 0
        while Date() < deadline {
            if log.cancellation.isSet { throw .failure("cancelled during the post-promotion window") }
            var probe = HTTPProbe(port: routePort, path: health.path, timeout: health.timeout)
            probe.host = IPAddressText.reachable(component.settings.bindAddress)
            switch probe.perform() {
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
                    throw .failure("post-promotion checks failed and there is no earlier colour to switch back to")
                }
                try switchTraffic(to: previous, log: log)
                throw .failure("post-promotion checks failed 3 times in a row; switched back to \(previous)")
            }
            usleep(useconds_t(health.interval * 1_000_000))
        }
        log("post-promotion window of \(DurationText.format(seconds)) passed")
    }
}
