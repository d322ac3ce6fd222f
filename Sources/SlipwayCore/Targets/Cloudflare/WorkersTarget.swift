import Foundation

/// The `cloudflare-workers` target: a release is a Worker version uploaded without deploying and
/// tagged with Slipway's version (as `wrangler versions upload --tag` does), so it is built and
/// uploaded once and found again by its tag for a redeploy or a rollback. A deployment gives it
/// the traffic: all of it for a switch, a percentage per step for a canary.
public struct WorkersTarget: Sendable {
    public var engine: Engine
    public var component: Component
    public var environment: String
    /// The Worker as Cloudflare names it: in a Workers environment, wrangler's `<script>-<env>`.
    public var script: String
    public var settings: CloudflareSettings
    var api: CloudflareAPI

    public init(engine: Engine, component: Component, environment: String) throws(SlipwayError) {
        let settings = try Self.settings(of: component, in: environment)
        self.engine = engine
        self.component = component
        self.environment = environment
        self.settings = settings
        let workersEnv = (try? engine.workspace.environment(named: environment))?.workersEnv
        script = Self.scriptName(settings.script ?? "", workersEnv: workersEnv)
        api = CloudflareAPI(settings: settings, environment: engine.environment, clock: engine.clock)
    }

    /// Whether Slipway deploys `component` as a Worker itself: `cloudflare-workers`, or the seed's
    /// `cloudflare-worker` given a `cloudflare:` block, with no `deploy` goal of its own.
    static func applies(to component: Component) -> Bool {
        guard !component.hasGoal("deploy") else { return false }
        let hasBlock = component.settings.cloudflare != nil || !component.settings.environmentCloudflare.isEmpty
        return component.target == "cloudflare-workers" || (component.target == "cloudflare-worker" && hasBlock)
    }

    /// The component's `cloudflare:` block, refused when it names no script.
    static func settings(of component: Component, in environment: String) throws(SlipwayError) -> CloudflareSettings {
        guard let settings = component.settings.cloudflare(in: environment) else {
            throw SlipwayError(.target(.noSettings(
                component: component.path, target: "cloudflare-workers", environment: environment, block: "cloudflare",
                keys: ["account_id", "script"])))
        }
        guard settings.script != nil else {
            if let location = settings.location { throw location.error("cloudflare-workers needs cloudflare.script") }
            throw SlipwayError(.target(.settingsMissing(component: component.path, target: "cloudflare-workers", settings: ["cloudflare.script"])))
        }
        return settings
    }

    /// wrangler names the Worker of environment `env` `<name>-<env>`.
    static func scriptName(_ script: String, workersEnv: String?) -> String {
        guard let workersEnv, !workersEnv.isEmpty else { return script }
        return "\(script)-\(workersEnv)"
    }

    func scriptPath() throws(SlipwayError) -> String {
        "/accounts/\(try api.account())/workers/scripts/\(script)"
    }

    // MARK: Platform state

    /// The Worker's uploaded version tagged `version`, nil when none is.
    func uploaded(_ version: String, log: StageLog?) async throws(SlipwayError) -> CloudflareAnswer.WorkerVersion? {
        let path = try scriptPath() + "/versions"
        var page = 1
        while true {
            // A Worker never uploaded is a 404: it has no version yet.
            guard let items = try await api.find(
                path, query: [URLQueryItem(name: "page", value: "\(page)"), URLQueryItem(name: "per_page", value: "50")],
                as: CloudflareAnswer.VersionList.self, log: log
            )?.items else { return nil }
            if let found = items.first(where: { $0.tag == version }) { return found }
            if items.count < 50 { return nil }
            page += 1
        }
    }

    /// The Worker's current deployment (the newest), nil before its first.
    func currentDeployment(log: StageLog?) async throws(SlipwayError) -> CloudflareAnswer.Deployment? {
        try await api.find(try scriptPath() + "/deployments", as: CloudflareAnswer.DeploymentList.self, log: log)?
            .deployments.first
    }

    /// Deploys `split` (percentages summing to 100) and reads it back; a retry after a lost
    /// answer first reads the current deployment, so the split is never guessed.
    func deploy(_ split: [CloudflareAnswer.DeploymentVersion], log: StageLog?) async throws(SlipwayError) {
        let body: [String: Any] = [
            "strategy": "percentage",
            "versions": split.map { ["version_id": $0.versionID, "percentage": $0.percentage] as [String: Any] },
            "annotations": ["workers/message": "Slipway: \(component.name) in \(environment)"],
        ]
        let data: Data
        do {
            data = try JSONSerialization.data(withJSONObject: body, options: [.sortedKeys])
        } catch {
            throw .failure("cannot write a deployment: \(error.localizedDescription)")
        }
        let wanted = Self.sorted(split)
        let target = self
        _ = try await api.call(
            "POST", try scriptPath() + "/deployments", body: .json(data), as: CloudflareAnswer.Deployment.self, log: log,
            reconcile: { () async throws(SlipwayError) -> CloudflareAnswer.Deployment? in
                guard let current = try await target.currentDeployment(log: log), Self.sorted(current.versions) == wanted else {
                    return nil
                }
                return current
            })
        guard let now = try await currentDeployment(log: log) else {
            throw SlipwayError(.target(.goneAfterWriting(.worker(script: script))))
        }
        guard Self.sorted(now.versions) == wanted else {
            throw SlipwayError(.target(.readBackDiffers(.worker(script: script), found: Self.describe(now.versions), wrote: Self.describe(split))))
        }
    }

    static func sorted(_ split: [CloudflareAnswer.DeploymentVersion]) -> [CloudflareAnswer.DeploymentVersion] {
        split.filter { $0.percentage > 0 }.sorted { $0.versionID < $1.versionID }
    }

    static func describe(_ split: [CloudflareAnswer.DeploymentVersion]) -> String {
        split.map { "\($0.versionID) \(CanaryAnalysis.percent($0.percentage))" }.joined(separator: ", ")
    }

    /// The version taking most of the traffic now.
    func liveVersionID(log: StageLog?) async throws(SlipwayError) -> String? {
        try await currentDeployment(log: log)?.versions.max { $0.percentage < $1.percentage }?.versionID
    }

    /// Uploads the main module of `source` as a version tagged `version`, without deploying it.
    func upload(version: String, source: URL, log: StageLog) async throws(SlipwayError) -> CloudflareAnswer.WorkerVersion {
        let file = source.appendingPathComponent(settings.main)
        guard let module = FileManager.default.contents(atPath: file.path) else {
            throw SlipwayError(.target(.buildOutputMissing(kind: "module", path: file.path, setting: "cloudflare.main", action: "upload")))
        }
        let name = file.lastPathComponent
        var metadata: [String: Any] = [
            "main_module": name,
            "annotations": ["workers/tag": version, "workers/message": "Slipway \(version) of \(component.name)"],
            "bindings": [["type": "plain_text", "name": "SLIPWAY_VERSION", "text": version]],
        ]
        if let date = settings.compatibilityDate { metadata["compatibility_date"] = date }
        let boundary = "slipway-\(UUID().uuidString)"
        var body = Data()
        func part(_ headers: String, _ content: Data) {
            body.append(Data("--\(boundary)\r\n\(headers)\r\n\r\n".utf8))
            body.append(content)
            body.append(Data("\r\n".utf8))
        }
        do {
            part("Content-Disposition: form-data; name=\"metadata\"\r\nContent-Type: application/json",
                 try JSONSerialization.data(withJSONObject: metadata, options: [.sortedKeys]))
        } catch {
            throw .failure("cannot write the version's metadata: \(error.localizedDescription)")
        }
        part("Content-Disposition: form-data; name=\"\(name)\"; filename=\"\(name)\"\r\nContent-Type: application/javascript+module", module)
        body.append(Data("--\(boundary)--\r\n".utf8))
        let target = self
        let created = try await api.call(
            "POST", try scriptPath() + "/versions", body: .multipart(body, boundary: boundary), as: CloudflareAnswer.WorkerVersion.self,
            log: log,
            reconcile: { () async throws(SlipwayError) -> CloudflareAnswer.WorkerVersion? in try await target.uploaded(version, log: log) })
        log("uploaded \(version) of \(script) as version \(created.id)\(created.number.map { " (#\($0))" } ?? ""), not deployed")
        return created
    }

    // MARK: Stages

    /// Finds `version` uploaded already (a rollback, a redeploy: nothing is built), else builds it
    /// with the component's `build` goal, when it has one, and uploads it.
    func uploadStage(version: String, source: URL, runID: String) -> RunPlan.Stage {
        RunPlan.Stage(name: "deploy", description: "upload \(version) of \(script) as a version tagged \(version)") { log throws(SlipwayError) in
            if let found = try await uploaded(version, log: log) {
                log("\(version) is uploaded already as version \(found.id) of \(script): nothing to build")
                return
            }
            if component.hasGoal("build") {
                var command = DeployMethod.makefile.command(
                    goal: "build", component: component, directory: source, workspace: engine.workspace,
                    variables: [("ENV", environment), ("VERSION", version)], runID: runID)
                command.baseEnvironment = engine.environment.isEmpty ? nil : engine.environment
                log("$ \(command.displayText)")
                let status = try await ChildProcess.run(command, cancellation: log.cancellation) { line in log(line) }
                guard status == 0 else { throw SlipwayError(.target(.buildFailed(status: status))) }
            }
            _ = try await upload(version: version, source: source, log: log)
        }
    }

    func switchStage(version: String) -> RunPlan.Stage {
        RunPlan.Stage(name: "switch-traffic", description: "deploy \(version) of \(script) at 100%") { log throws(SlipwayError) in
            guard let found = try await uploaded(version, log: log) else {
                throw SlipwayError(.target(.versionMissing(version: version, of: script, published: false)))
            }
            try await deploy([.init(versionID: found.id, percentage: 100)], log: log)
            log("\(script) now sends every request to version \(found.id) (\(version)); the deployment reads back 100%")
        }
    }

    /// All at once, or (strategy canary, with a version live) in judged percentage deployments.
    func trafficStage(version: String, color: SlotColor, live: SlotColor?) -> RunPlan.Stage {
        let deployment = component.settings.deployment
        guard deployment.strategy == .canary, let live else { return switchStage(version: version) }
        let rollout = { @Sendable (traffic: any WeightedTraffic) in
            CanaryRollout(
                traffic: traffic, store: engine.store, clock: engine.clock, component: component.name, environment: environment,
                version: version, canaryColor: color, stableColor: live, policy: deployment.canaryPolicy)
        }
        let template = rollout(WorkersCanaryTraffic(
            target: self, stable: "", canary: "", stableColor: live, canaryColor: color, since: Date(), log: nil)).stage
        return RunPlan.Stage(name: template.name, description: template.description + " from Workers analytics") { log throws(SlipwayError) in
            guard let canary = try await uploaded(version, log: log) else {
                throw SlipwayError(.target(.versionMissing(version: version, of: script, published: false)))
            }
            guard let stable = try await liveVersionID(log: log) else {
                throw SlipwayError(.target(.noStableVersion(.worker(script: script))))
            }
            try await rollout(WorkersCanaryTraffic(
                target: self, stable: stable, canary: canary.id, stableColor: live, canaryColor: color, since: engine.clock.now(),
                log: log)
            ).run(log: log)
        }
    }
}
