import Foundation

/// The `cloudflare-pages` target: a release is a deployment of the Pages project, uploaded from
/// the component's output folder and tagged with Slipway's version (`commit_hash`, as the seed's
/// `wrangler pages deploy --commit-hash=$(VERSION)` does, and a `commit_message` naming it), so a
/// version is found again without rebuilding. It goes to the preview branch first (its own URL
/// answers the health check before production changes), then to the production branch; the
/// project's `canonical_deployment` read back is the record of what is live. An earlier
/// production deployment becomes production again through Pages' rollback, with no upload.
public struct PagesTarget: Sendable {
    public var engine: Engine
    public var component: Component
    public var environment: String
    public var project: String
    public var settings: CloudflareSettings
    var api: CloudflareAPI

    public init(engine: Engine, component: Component, environment: String) throws(SlipwayError) {
        let settings = try Self.settings(of: component, in: environment)
        self.engine = engine
        self.component = component
        self.environment = environment
        self.settings = settings
        project = settings.project ?? ""
        api = CloudflareAPI(settings: settings, environment: engine.environment, clock: engine.clock)
    }

    /// Whether Slipway deploys `component` to Pages itself: `cloudflare-pages` with no `deploy`
    /// goal of its own (the seed's Makefile `deploy: deploy-pages` keeps deploying through wrangler).
    static func applies(to component: Component) -> Bool {
        component.target == "cloudflare-pages" && !component.hasGoal("deploy")
    }

    /// The component's `cloudflare:` block, refused when it names no project.
    static func settings(of component: Component, in environment: String) throws(SlipwayError) -> CloudflareSettings {
        guard let settings = component.settings.cloudflare(in: environment) else {
            throw SlipwayError(.target(.noSettings(
                component: component.path, target: "cloudflare-pages", environment: environment, block: "cloudflare",
                keys: ["account_id", "project"])))
        }
        guard settings.project != nil else {
            if let location = settings.location { throw location.error("cloudflare-pages needs cloudflare.project") }
            throw SlipwayError(.target(.settingsMissing(component: component.path, target: "cloudflare-pages", settings: ["cloudflare.project"])))
        }
        return settings
    }

    /// Pages cannot split traffic between deployments, so a canary is refused where it is configured.
    static func refuseCanary(_ component: Component) -> SlipwayError {
        let message = "strategy canary cannot run on cloudflare-pages: a Pages project serves one production deployment "
            + "at a time, with no traffic split (\(component.path); use strategy blue-green)"
        return component.settings.deployment.strategyLocation?.error(message) ?? .usage(message)
    }

    /// What tags a deployment with `version`, besides its `commit_hash`.
    func commitMessage(_ version: String) -> String { "Slipway \(version) of \(component.name)" }

    func projectPath() throws(SlipwayError) -> String {
        "/accounts/\(try api.account())/pages/projects/\(project)"
    }

    // MARK: Platform state

    public func currentProject(log: StageLog?) async throws(SlipwayError) -> CloudflareAnswer.PagesProject {
        try await api.call("GET", try projectPath(), as: CloudflareAnswer.PagesProject.self, log: log)
    }

    /// The newest deployment tagged `version` (production ones only, or preview ones only, when
    /// asked), nil when none is.
    func tagged(_ version: String, production: Bool, log: StageLog?) async throws(SlipwayError) -> CloudflareAnswer.PagesDeployment? {
        let path = try projectPath() + "/deployments"
        let message = commitMessage(version)
        var page = 1
        while true {
            let items = try await api.call(
                "GET", path, query: [URLQueryItem(name: "page", value: "\(page)"), URLQueryItem(name: "per_page", value: "25")],
                as: [CloudflareAnswer.PagesDeployment].self, log: log)
            if let found = items.first(where: {
                $0.isProduction == production && $0.trigger?.metadata?.commitHash == version && $0.trigger?.metadata?.commitMessage == message
            }) {
                return found
            }
            if items.count < 25 { return nil }
            page += 1
        }
    }

    /// Uploads the output folder of `source` as a deployment of `branch` tagged `version`, as
    /// wrangler does: the project's upload token, the assets the store lacks, then the deployment
    /// naming every asset by its hash. A retry after a lost answer first looks for the
    /// deployment, so it is never made twice; assets are keyed by content, so sending one again is harmless.
    func upload(version: String, branch: String, production: Bool, source: URL, log: StageLog) async throws(SlipwayError)
        -> CloudflareAnswer.PagesDeployment {
        let folder = source.appendingPathComponent(settings.outputDir)
        let upload = PagesUpload(
            branch: branch, commitHash: version, commitMessage: commitMessage(version), assets: try PagesUpload.assets(in: folder))
        var assetStore = api
        assetStore.token = try await api.call(
            "GET", try projectPath() + "/upload-token", as: CloudflareAnswer.UploadToken.self, log: log).jwt
        let hashes = try PagesUpload.json(["hashes": upload.hashes])
        let missing = try await assetStore.call(
            "POST", "/pages/assets/check-missing", body: .json(hashes), as: [String].self, log: log)
        for body in try upload.uploadBodies(missing: Set(missing)) {
            _ = try await assetStore.call("POST", "/pages/assets/upload", body: .json(body), as: CloudflareAnswer.Ignored.self, log: log)
        }
        _ = try await assetStore.call("POST", "/pages/assets/upsert-hashes", body: .json(hashes), as: CloudflareAnswer.Ignored.self, log: log)
        let (body, boundary) = try upload.deploymentBody()
        let target = self
        let created = try await api.call(
            "POST", try projectPath() + "/deployments", body: .multipart(body, boundary: boundary),
            as: CloudflareAnswer.PagesDeployment.self, log: log,
            reconcile: { () async throws(SlipwayError) -> CloudflareAnswer.PagesDeployment? in
                try await target.tagged(version, production: production, log: log)
            })
        log("uploaded \(missing.count) of \(upload.hashes.count) asset(s) of \(settings.outputDir) (the rest were in Pages' store) "
            + "and made \(created.environment ?? "a") deployment \(created.id) of \(project), branch \(branch)"
            + "\(created.url.map { ", at \($0)" } ?? "")")
        return created
    }

    /// Reads the project back: complete only when `deployment` is the one serving production.
    func confirmProduction(_ deployment: CloudflareAnswer.PagesDeployment, version: String, log: StageLog) async throws(SlipwayError) {
        let now = try await currentProject(log: log).canonicalDeployment
        guard now?.id == deployment.id else {
            throw SlipwayError(.target(.readBackDiffers(.pagesProject(project), found: now?.id ?? "none", wrote: "\(deployment.id) (\(version))")))
        }
        log("\(project)'s production deployment reads back \(deployment.id) (\(version))")
    }

    /// Probes `path` under `url` until a 2xx, as often as the component's health settings say.
    func waitHealthy(at url: String, log: StageLog) async throws(SlipwayError) {
        let health = component.settings.health
        guard let probe = HTTPProbe(url: url, path: health.path, timeout: health.timeout) else {
            throw .usage("\(component.path): '\(url)' is not an http or https URL to health-check")
        }
        var last = "no answer"
        for attempt in 1...health.attempts {
            if log.cancellation.isSet { throw SlipwayError(.cancelled("during the health check")) }
            switch await probe.perform() {
            case .success(let response) where (200..<300).contains(response.status):
                log("healthy: GET \(url)\(health.path) answered \(response.status) (attempt \(attempt))")
                return
            case .success(let response):
                last = "\(response.status) \(response.body.trimmingCharacters(in: .whitespacesAndNewlines).prefix(120))"
            case .failure(let error):
                last = error.message
            }
            if attempt == 1 || attempt % 5 == 0 { log("not healthy yet (attempt \(attempt)/\(health.attempts)): \(last)") }
            if attempt < health.attempts { try? await engine.clock.sleep(seconds: health.interval) }
        }
        throw .failure("GET \(url)\(health.path) never answered 2xx after \(health.attempts) checks; last answer: \(last)")
    }

    /// Where users reach the environment: its `url`, else the project's own `*.pages.dev` name.
    func environmentURL(log: StageLog?) async throws(SlipwayError) -> String {
        if let url = component.settings.urls[environment] { return url }
        guard let subdomain = try await currentProject(log: log).subdomain else {
            throw .usage("\(component.path) has no url for \(environment) and Pages project \(project) has no subdomain to check")
        }
        return subdomain.contains("://") ? subdomain : "https://\(subdomain)"
    }

    // MARK: Stages

    /// Finds `version` in production already (a rollback, a redeploy: nothing is built), else
    /// builds it with the component's `build` goal, when it has one, and uploads it as a preview.
    func uploadStage(version: String, source: URL, runID: String) -> RunPlan.Stage {
        RunPlan.Stage(name: "deploy", description: "upload \(version) to Pages project \(project) as a preview") { log throws(SlipwayError) in
            if let found = try await tagged(version, production: true, log: log) {
                log("\(version) is uploaded already as production deployment \(found.id) of \(project): nothing to build")
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
            _ = try await upload(version: version, branch: settings.previewBranch, production: false, source: source, log: log)
        }
    }

    /// The deployment about to serve production answers at its own URL before production changes:
    /// the earlier production deployment of `version` for a rollback, else its new preview.
    func releaseHealthStage(version: String) -> RunPlan.Stage {
        RunPlan.Stage(name: "health-check", description: "the deployment of \(version) answers at its own URL") { log throws(SlipwayError) in
            let found: CloudflareAnswer.PagesDeployment?
            if let production = try await tagged(version, production: true, log: log) {
                found = production
            } else {
                found = try await tagged(version, production: false, log: log)
            }
            guard let deployment = found, let url = deployment.url else {
                throw .failure("\(project) has no deployment of \(version) with a URL to check")
            }
            try await waitHealthy(at: url, log: log)
        }
    }

    /// Makes `version` production: an earlier production deployment of it through Pages'
    /// rollback (no upload), else a deployment of this run's build to the production branch,
    /// which Pages serves as production once it succeeds. Complete when the project reads it back.
    func productionStage(version: String, source: URL) -> RunPlan.Stage {
        RunPlan.Stage(name: "switch-traffic", description: "make \(version) production of Pages project \(project)") { log throws(SlipwayError) in
            let current = try await currentProject(log: log)
            if let earlier = try await tagged(version, production: true, log: log) {
                if current.canonicalDeployment?.id == earlier.id {
                    log("\(earlier.id) (\(version)) is production already")
                } else {
                    let path = try projectPath() + "/deployments/\(earlier.id)/rollback"
                    let target = self
                    _ = try await api.call(
                        "POST", path, as: CloudflareAnswer.PagesDeployment.self, log: log,
                        reconcile: { () async throws(SlipwayError) -> CloudflareAnswer.PagesDeployment? in
                            try await target.currentProject(log: log).canonicalDeployment.flatMap { $0.id == earlier.id ? $0 : nil }
                        })
                    log("rolled \(project) back to its earlier production deployment \(earlier.id) (\(version)): nothing uploaded")
                }
                try await confirmProduction(earlier, version: version, log: log)
                return
            }
            guard let branch = current.productionBranch else { throw .failure("Pages project \(project) names no production branch") }
            let deployment = try await upload(version: version, branch: branch, production: true, source: source, log: log)
            try await confirmProduction(deployment, version: version, log: log)
        }
    }
}
