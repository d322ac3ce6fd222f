import Foundation

/// The `aws-lambda` target: a release is a published version of the function (its description
/// is Slipway's version, so each is published once and found again for a rollback); the alias
/// (`live`) takes the traffic, all at once or, for a canary, by `AdditionalVersionWeights`.
public struct LambdaTarget: Sendable {
    public var engine: Engine
    public var component: Component
    public var environment: String
    public var function: String
    public var alias: String
    public var package: String
    var aws: AWSCommandLine

    public init(engine: Engine, component: Component, environment: String) throws(SlipwayError) {
        let settings = try Self.settings(of: component, in: environment)
        self.engine = engine
        self.component = component
        self.environment = environment
        function = settings.function ?? ""
        alias = settings.alias
        package = settings.package
        aws = AWSCommandLine(region: settings.region, environment: engine.environment)
    }

    static func settings(of component: Component, in environment: String) throws(SlipwayError) -> AWSSettings {
        guard let settings = component.settings.aws(in: environment) else {
            throw SlipwayError(.target(.noSettings(
                component: component.path, target: "aws-lambda", environment: environment, block: "aws", keys: ["function", "alias"])))
        }
        guard settings.function != nil else {
            if let location = settings.location { throw location.error("aws-lambda needs aws.function") }
            throw SlipwayError(.target(.settingsMissing(component: component.path, target: "aws-lambda", settings: ["aws.function"])))
        }
        return settings
    }

    // MARK: Platform state

    /// The function's published version whose description is `version`.
    func published(_ version: String) async throws(SlipwayError) -> String? {
        var marker: String?
        repeat {
            let page = try await aws.call(
                "lambda", "list-versions-by-function",
                ["--function-name", function] + (marker.map { ["--marker", $0] } ?? []), as: AWSAnswer.FunctionVersions.self)
            if let found = page.versions.first(where: { $0.version != "$LATEST" && $0.description == version }) {
                return found.version
            }
            marker = page.nextMarker
        } while marker != nil
        return nil
    }

    /// The alias as Lambda has it, nil when it does not exist yet.
    func currentAlias() async throws(SlipwayError) -> AWSAnswer.Alias? {
        do {
            return try await aws.call("lambda", "get-alias", ["--function-name", function, "--name", alias], as: AWSAnswer.Alias.self)
        } catch {
            if error.message.contains("ResourceNotFoundException") { return nil }
            throw error
        }
    }

    /// Points the alias at `version` with `weights` (version -> share, 0...1) to others, creating
    /// it the first time, and reads it back.
    func route(to version: String, weights: [String: Double]) async throws(SlipwayError) {
        let routing = "{\"AdditionalVersionWeights\":{"
            + weights.sorted { $0.key < $1.key }.map { "\"\($0.key)\":\($0.value)" }.joined(separator: ",") + "}}"
        let arguments = ["--function-name", function, "--name", alias, "--function-version", version, "--routing-config", routing]
        if try await currentAlias() == nil {
            try await aws.perform("lambda", "create-alias", arguments)
        } else {
            try await aws.perform("lambda", "update-alias", arguments)
        }
        guard let now = try await currentAlias() else { throw SlipwayError(.target(.goneAfterWriting(.lambdaAlias(alias, function: function)))) }
        let readWeights = now.routingConfig?.additionalVersionWeights ?? [:]
        guard now.functionVersion == version, readWeights == weights else {
            throw SlipwayError(.target(.readBackDiffers(
                .lambdaAlias(alias, function: function), found: "\(now.functionVersion) \(readWeights)", wrote: "\(version) \(weights)")))
        }
    }

    // MARK: Stages

    func buildStage(version: String, source: URL, runID: String) -> RunPlan.Stage? {
        guard component.hasGoal("build") else { return nil }
        return RunPlan.Stage(name: "build", command: DeployMethod.makefile.command(
            goal: "build", component: component, directory: source, workspace: engine.workspace,
            variables: [("ENV", environment), ("VERSION", version)], runID: runID))
    }

    /// Publishes `version` from the package in `source`, or finds it published already (a
    /// rollback, a redeploy): a Lambda version never changes once published.
    func publishStage(version: String, source: URL) -> RunPlan.Stage {
        RunPlan.Stage(name: "deploy", description: "publish \(version) of \(function)") { log throws(SlipwayError) in
            if let number = try await published(version) {
                log("\(version) is published already as version \(number) of \(function)")
                return
            }
            let file = source.appendingPathComponent(package)
            guard FileManager.default.fileExists(atPath: file.path) else {
                throw SlipwayError(.target(.buildOutputMissing(kind: "package", path: file.path, setting: "aws.package", action: "publish")))
            }
            try await aws.perform("lambda", "update-function-code", ["--function-name", function, "--zip-file", "fileb://\(file.path)"])
            try await aws.perform("lambda", "wait", ["function-updated", "--function-name", function])
            // Lambda publishes nothing new when neither code nor configuration changed: the
            // description makes each release a version of its own.
            try await aws.perform("lambda", "update-function-configuration", ["--function-name", function, "--description", version])
            try await aws.perform("lambda", "wait", ["function-updated", "--function-name", function])
            let number = try await aws.call(
                "lambda", "publish-version", ["--function-name", function, "--description", version], as: AWSAnswer.PublishedVersion.self
            ).version
            log("published \(version) as version \(number) of \(function)")
        }
    }

    func switchStage(version: String) -> RunPlan.Stage {
        RunPlan.Stage(name: "switch-traffic", description: "alias \(alias) of \(function) to \(version)") { log throws(SlipwayError) in
            guard let number = try await published(version) else {
                throw SlipwayError(.target(.versionMissing(version: version, of: function, published: true)))
            }
            try await route(to: number, weights: [:])
            log("alias \(alias) of \(function) now sends every request to version \(number) (\(version))")
        }
    }

    /// All at once, or (strategy canary, with an alias already live) in judged steps.
    func trafficStage(version: String, color: SlotColor, live: SlotColor?) -> RunPlan.Stage {
        let deployment = component.settings.deployment
        guard deployment.strategy == .canary, let live else { return switchStage(version: version) }
        let rollout = { @Sendable (traffic: any WeightedTraffic) in
            CanaryRollout(
                traffic: traffic, store: engine.store, clock: engine.clock, component: component.name, environment: environment,
                version: version, canaryColor: color, stableColor: live, policy: deployment.canaryPolicy)
        }
        let template = rollout(LambdaCanaryTraffic(
            target: self, stable: "", canary: "", stableColor: live, canaryColor: color, since: Date())).stage
        return RunPlan.Stage(name: template.name, description: template.description + " from CloudWatch") { log throws(SlipwayError) in
            guard let canary = try await published(version) else {
                throw SlipwayError(.target(.versionMissing(version: version, of: function, published: true)))
            }
            guard let stable = try await currentAlias()?.functionVersion else {
                throw SlipwayError(.target(.noStableVersion(.lambdaAlias(alias, function: function))))
            }
            try await rollout(LambdaCanaryTraffic(
                target: self, stable: stable, canary: canary, stableColor: live, canaryColor: color, since: engine.clock.now())
            ).run(log: log)
        }
    }
}
