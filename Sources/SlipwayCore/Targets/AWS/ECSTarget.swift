import Foundation

/// The `aws-ecs` target: blue and green are two ECS services behind one ALB listener whose
/// default action forwards to their two target groups by weight. A release is a task definition
/// revision whose image tag is the version; it goes to the idle colour's service, which must run
/// it and whose target group must report its targets healthy before any weight moves. Which
/// colour is live is read back from the listener every time, never taken from the store alone.
public struct ECSTarget: Sendable {
    public var engine: Engine
    public var component: Component
    public var environment: String
    public var cluster: String
    public var services: AWSSettings.ColorPair
    public var targetGroups: AWSSettings.ColorPair
    public var listener: String
    public var image: String
    var aws: AWSCommandLine

    /// The file a release's task definition is registered from, in the component's folder.
    public static let taskDefinitionFile = "ecs-task-definition.json"

    public init(engine: Engine, component: Component, environment: String) throws(SlipwayError) {
        let settings = try Self.settings(of: component, in: environment)
        self.engine = engine
        self.component = component
        self.environment = environment
        cluster = settings.cluster ?? ""
        services = settings.services ?? .init(blue: "", green: "")
        targetGroups = settings.targetGroups ?? .init(blue: "", green: "")
        listener = settings.listener ?? ""
        image = settings.image ?? ""
        aws = AWSCommandLine(region: settings.region, environment: engine.environment)
    }

    /// The component's `aws:` block, refused when a key the target needs is missing.
    static func settings(of component: Component, in environment: String) throws(SlipwayError) -> AWSSettings {
        guard let settings = component.settings.aws(in: environment) else {
            throw SlipwayError(.target(.noSettings(
                component: component.path, target: "aws-ecs", environment: environment, block: "aws",
                keys: ["cluster", "services", "target_groups", "listener", "image"])))
        }
        let missing = [
            ("cluster", settings.cluster == nil), ("services", settings.services == nil),
            ("target_groups", settings.targetGroups == nil), ("listener", settings.listener == nil), ("image", settings.image == nil),
        ].filter(\.1).map(\.0)
        guard missing.isEmpty else {
            let needed = missing.map { "aws.\($0)" }
            if let location = settings.location { throw location.error("aws-ecs needs \(needed.joined(separator: ", "))") }
            throw SlipwayError(.target(.settingsMissing(component: component.path, target: "aws-ecs", settings: needed)))
        }
        return settings
    }

    var health: HealthSettings { component.settings.health }

    // MARK: Platform state

    /// The listener's split between the two target groups, as the platform has it now.
    public func weights() async throws(SlipwayError) -> ListenerWeights {
        let answer = try await aws.call("elbv2", "describe-listeners", ["--listener-arns", listener], as: AWSAnswer.Listeners.self)
        guard let found = answer.listeners.first else { throw SlipwayError(.ecs(.listenerNotFound(arn: listener))) }
        return try ListenerWeights(actions: found.defaultActions, targetGroups: targetGroups)
    }

    /// Where CloudWatch keeps each colour's ALB figures: its target group's metrics.
    var cloudWatchSources: [SlotColor: CloudWatchCounts.Source] {
        var sources: [SlotColor: CloudWatchCounts.Source] = [:]
        for color in [SlotColor.blue, .green] {
            sources[color] = CloudWatchCounts.Source(
                namespace: "AWS/ApplicationELB",
                dimensions: ["TargetGroup": ECSCanaryTraffic.dimension(of: targetGroups[color], after: "targetgroup/"),
                             "LoadBalancer": ECSCanaryTraffic.dimension(of: listener, after: "listener/", droppingLast: true)],
                requests: "RequestCount", errors: "HTTPCode_Target_5XX_Count", latency: "TargetResponseTime", latencyUnit: 0.001)
        }
        return sources
    }

    /// Writes `weights` to the listener and reads them back; throws unless the platform has them.
    func write(_ weights: ListenerWeights) async throws(SlipwayError) {
        try await aws.perform("elbv2", "modify-listener", [
            "--listener-arn", listener, "--default-actions", weights.actionsJSON(targetGroups: targetGroups),
        ])
        let now = try await self.weights()
        guard now == weights else {
            throw SlipwayError(.target(.readBackDiffers(.listener, found: now.description, wrote: weights.description)))
        }
    }

    /// The colour's service as ECS describes it.
    func service(_ color: SlotColor) async throws(SlipwayError) -> AWSAnswer.Services.Service {
        let answer = try await aws.call(
            "ecs", "describe-services", ["--cluster", cluster, "--services", services[color]], as: AWSAnswer.Services.self)
        guard let service = answer.services.first else {
            let reason = answer.failures?.first?.reason ?? "not found"
            throw SlipwayError(.ecs(.serviceMissing(service: services[color], cluster: cluster, reason: reason)))
        }
        return service
    }

    /// The version the colour's service runs: the tag of its `aws.image` container (or of its
    /// only one); nil when it runs none Slipway knows.
    func version(in color: SlotColor) async throws(SlipwayError) -> String? {
        guard let arn = try await service(color).taskDefinition else { return nil }
        let images = try await aws.call(
            "ecs", "describe-task-definition", ["--task-definition", arn], as: AWSAnswer.TaskDefinitionAnswer.self
        ).taskDefinition.containerDefinitions.compactMap(\.image)
        let release = images.first { Self.repository(of: $0) == image } ?? (images.count == 1 ? images.first : nil)
        return release.flatMap(Self.tag(of:))
    }

    /// The tag of an image reference (`repo:tag`), nil for a digest or no tag.
    static func tag(of image: String) -> String? {
        guard !image.contains("@"), let colon = image.lastIndex(of: ":"),
              !image[image.index(after: colon)...].contains("/") else { return nil }
        return String(image[image.index(after: colon)...])
    }

    /// An image reference without its tag or digest.
    static func repository(of image: String) -> String {
        if let at = image.firstIndex(of: "@") { return String(image[..<at]) }
        if let colon = image.lastIndex(of: ":"), !image[image.index(after: colon)...].contains("/") {
            return String(image[..<colon])
        }
        return image
    }

    // MARK: Steps

    /// The task definition of `source`'s `ecs-task-definition.json` with the image of `aws.image`
    /// (or of its only container) tagged `version`, as `register-task-definition` takes it.
    func taskDefinitionInput(source: URL, version: String) throws(SlipwayError) -> Data {
        let file = source.appendingPathComponent(Self.taskDefinitionFile)
        guard let data = FileManager.default.contents(atPath: file.path),
              var definition = (try? JSONSerialization.jsonObject(with: data)) as? [String: Any] else {
            throw SlipwayError(.ecs(.taskDefinitionUnreadable(path: file.path)))
        }
        // What describe-task-definition adds is refused by register-task-definition.
        for key in ["taskDefinitionArn", "revision", "status", "requiresAttributes", "compatibilities", "registeredAt",
                    "registeredBy", "deregisteredAt"] {
            definition.removeValue(forKey: key)
        }
        guard var containers = definition["containerDefinitions"] as? [[String: Any]], !containers.isEmpty else {
            throw SlipwayError(.ecs(.noContainerDefinitions(path: file.path)))
        }
        var matches = containers.indices.filter { index in
            (containers[index]["image"] as? String).map(Self.repository(of:)) == image
        }
        if matches.isEmpty, containers.count == 1 { matches = [0] }
        guard !matches.isEmpty else {
            throw SlipwayError(.ecs(.noContainerRuns(path: file.path, image: image, version: version)))
        }
        for index in matches { containers[index]["image"] = "\(image):\(version)" }
        definition["containerDefinitions"] = containers
        do {
            return try JSONSerialization.data(withJSONObject: definition, options: [.sortedKeys])
        } catch {
            throw .failure("cannot write the task definition of \(file.path): \(error.localizedDescription)")
        }
    }

    /// Registers the release's task definition revision; returns its ARN.
    func register(source: URL, version: String, log: StageLog) async throws(SlipwayError) -> String {
        let input = try taskDefinitionInput(source: source, version: version)
        let file = FileManager.default.temporaryDirectory.appendingPathComponent("slipway-task-definition-\(UUID().uuidString).json")
        // Owner-only: a task definition may hold environment values.
        guard FileManager.default.createFile(atPath: file.path, contents: input, attributes: [.posixPermissions: 0o600]) else {
            throw SlipwayError(.fileAccess(.write, path: file.path))
        }
        defer { try? FileManager.default.removeItem(at: file) }
        let arn = try await aws.call(
            "ecs", "register-task-definition", ["--cli-input-json", "file://\(file.path)"], as: AWSAnswer.TaskDefinitionAnswer.self
        ).taskDefinition.taskDefinitionArn
        log("registered \(arn) with image \(image):\(version)")
        return arn
    }

    /// Refuses to touch `color` while the listener still sends it traffic: the platform, not
    /// the store, says what is idle.
    func refuseLive(_ color: SlotColor, log: StageLog) async throws(SlipwayError) {
        let weights = try await weights()
        log("listener: \(weights.description)")
        guard weights[color] == 0 else {
            throw SlipwayError(.ecs(.colorNotIdle(color, weights: weights.description)))
        }
    }

    /// Gives the colour's service `arn` and waits until its primary deployment runs it.
    func update(_ color: SlotColor, to arn: String, log: StageLog) async throws(SlipwayError) {
        try await aws.perform("ecs", "update-service", [
            "--cluster", cluster, "--service", services[color], "--task-definition", arn,
        ])
        log("updated service \(services[color]) to \(arn)")
        var last = "no primary deployment"
        for attempt in 1...health.attempts {
            if log.cancellation.isSet { throw SlipwayError(.cancelled("while \(services[color]) rolled out")) }
            let service = try await service(color)
            let primary = service.deployments?.first { $0.status == "PRIMARY" }
            if let primary {
                if primary.rolloutState == "FAILED" {
                    throw SlipwayError(.ecs(.deploymentFailed(taskDefinition: arn, service: services[color])))
                }
                if primary.taskDefinition == arn, primary.rolloutState == nil || primary.rolloutState == "COMPLETED" {
                    log("\(services[color]) runs \(arn) (attempt \(attempt))")
                    return
                }
                last = "primary deployment runs \(primary.taskDefinition), rollout \(primary.rolloutState ?? "-")"
            }
            if attempt == 1 || attempt % 5 == 0 { log("waiting for \(services[color]) (attempt \(attempt)/\(health.attempts)): \(last)") }
            if attempt < health.attempts { try? await engine.clock.sleep(seconds: health.interval) }
        }
        throw SlipwayError(.ecs(.serviceDidNotRun(service: services[color], taskDefinition: arn, checks: health.attempts, last: last)))
    }

    /// Waits until the colour's target group reports its registered targets healthy (at least
    /// one healthy, none initial or unhealthy; draining ones are leaving).
    func waitHealthy(_ color: SlotColor, log: StageLog) async throws(SlipwayError) {
        var last = "no answer"
        for attempt in 1...health.attempts {
            if log.cancellation.isSet { throw SlipwayError(.cancelled("during the health check")) }
            let states = try await aws.call(
                "elbv2", "describe-target-health", ["--target-group-arn", targetGroups[color]], as: AWSAnswer.TargetHealth.self
            ).descriptions.map(\.targetHealth.state)
            let healthy = states.filter { $0 == "healthy" }.count
            let pending = states.filter { ["initial", "unhealthy", "unavailable"].contains($0) }.count
            if healthy > 0, pending == 0 {
                log("target group of \(color): \(healthy) healthy target(s) (attempt \(attempt))")
                return
            }
            last = states.isEmpty ? "no registered targets" : states.joined(separator: ", ")
            if attempt == 1 || attempt % 5 == 0 { log("not healthy yet (attempt \(attempt)/\(health.attempts)): \(last)") }
            if attempt < health.attempts { try? await engine.clock.sleep(seconds: health.interval) }
        }
        throw SlipwayError(.ecs(.targetGroupUnhealthy(color, checks: health.attempts, last: last)))
    }

    // MARK: Stages

    func deployStage(version: String, color: SlotColor, source: URL) -> RunPlan.Stage {
        RunPlan.Stage(
            name: "deploy",
            description: "register \(image):\(version) and roll it out to \(services[color]) in \(cluster)"
        ) { log throws(SlipwayError) in
            try await refuseLive(color, log: log)
            let arn = try await register(source: source, version: version, log: log)
            try await update(color, to: arn, log: log)
        }
    }

    func healthStage(_ color: SlotColor) -> RunPlan.Stage {
        RunPlan.Stage(name: "health-check", description: "wait for healthy targets in the \(color) target group") { log throws(SlipwayError) in
            try await waitHealthy(color, log: log)
        }
    }

    func switchStage(to color: SlotColor) -> RunPlan.Stage {
        RunPlan.Stage(name: "switch-traffic", description: "listener forwards 100% to the \(color) target group") { log throws(SlipwayError) in
            let weights = ListenerWeights(100, to: color)
            try await write(weights)
            log("traffic of \(component.name) in \(environment) now goes to \(color) (listener reads back \(weights.description))")
        }
    }

    /// All at once, or (strategy canary, with a live colour) in judged steps whose figures are
    /// CloudWatch's from the moment the canary starts.
    func trafficStage(version: String, color: SlotColor, live: SlotColor?) -> RunPlan.Stage {
        let deployment = component.settings.deployment
        guard deployment.strategy == .canary, let live else { return switchStage(to: color) }
        let rollout = { @Sendable (since: Date) in
            CanaryRollout(
                traffic: ECSCanaryTraffic(target: self, since: since), store: engine.store, clock: engine.clock,
                component: component.name, environment: environment, version: version, canaryColor: color, stableColor: live,
                policy: deployment.canaryPolicy)
        }
        let template = rollout(engine.clock.now()).stage
        return RunPlan.Stage(name: template.name, description: template.description + " from CloudWatch") { log throws(SlipwayError) in
            try await rollout(engine.clock.now()).run(log: log)
        }
    }
}
