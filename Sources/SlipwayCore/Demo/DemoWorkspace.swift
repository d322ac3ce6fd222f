import Foundation

/// The live demo: the seed's four components as a git repository, deployed for real (target
/// `local`) to development, staging and production, with some history worth looking at.
///
/// Demo/ is above the engine, a client of it as the command line is.
public struct DemoWorkspace: Sendable {
    public var directory: URL
    public var output: @Sendable (String) -> Void
    /// Where the shared `deploy/*.mk` files come from: `$SLIPWAY_DEPLOY_DIR`, else this checkout's `deploy/`.
    public var templates: URL
    /// With them, the demo adds an ECS service and a Worker on moto and the Cloudflare stand-in (`--cloud`).
    public var cloud: DemoCloudTools?

    /// The checkout this binary was built from.
    public static let checkout = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent().deletingLastPathComponent()

    public init(directory: URL, output: @escaping @Sendable (String) -> Void, templates: URL? = nil, cloud: DemoCloudTools? = nil) {
        self.directory = directory
        self.output = output
        self.templates = templates
            ?? ProcessInfo.processInfo.environment["SLIPWAY_DEPLOY_DIR"].map { URL(fileURLWithPath: $0) }
            ?? Self.checkout.appendingPathComponent("deploy")
        self.cloud = cloud
    }

    /// Creates and deploys the demo, or reuses the one already there.
    public func prepare(reset: Bool) async throws(SlipwayError) {
        let manager = FileManager.default
        if reset { try? manager.removeItem(at: directory) }
        if manager.fileExists(atPath: directory.appendingPathComponent(".slipway/state.db").path), try await reuse() { return }
        try? manager.removeItem(at: directory)
        output("creating the demo workspace in \(directory.path)")
        try write(Self.files(templates: try templateFiles()))
        try await git(["init", "-q", "-b", "main"])
        try await git(["config", "user.email", "demo@slipway.local"])
        try await git(["config", "user.name", "Slipway Demo"])
        try await commit("Add the four components of ADR-015")
        let store = try await reopen().store
        var cloudSide: (cloud: DemoCloud, pairs: [DemoCloud.ECSPair])?
        if let cloud {
            cloudSide = try await addCloudComponents(cloud, store: store)
        }
        // `develop` (staging's branch) stays here, so `slipway pipeline --env staging` has changes to ship.
        try await git(["branch", "develop"])

        do {
            try await deployEverything()
            if let cloudSide {
                try await cloudSide.cloud.startTraffic(cloudSide.pairs, workerScripts: ["edge-dev", "edge-staging", "edge-production"])
                output("simulated traffic: moto records ALB metrics in CloudWatch for each listener's colours, "
                    + "the Cloudflare stand-in Workers analytics for each Worker")
            }
        } catch {
            if let cloudSide { await cloudSide.cloud.stop(in: store) }
            throw error
        }
        let count = cloud == nil ? "4 components" : "6 components (2 on cloud stand-ins)"
        output("demo ready: \(count), 3 environments, \(try store.runs(limit: 1000).count) runs")
    }

    private func deployEverything() async throws(SlipwayError) {
        let engine = try await reopen()
        // Production takes only gated versions (production_gates: required); the first release
        // goes there before any pipeline ran, which the audit shows as an override.
        let firstRelease = GateOverride(reason: "the demo's first release, before any pipeline ran")
        for environment in ["development", "staging", "production"] {
            let results = try await Deployer(engine: engine).deployAll(
                environment: environment, force: false, overrideGates: environment == "production" ? firstRelease : nil)
            output("deploy-all to \(environment): " + results.sorted { $0.key < $1.key }
                .map { "\($0.key) \($0.value.state.rawValue)" }.joined(separator: ", "))
        }

        try write(["services/accounts/server.py": Self.server(title: "Accounts", revision: 2)])
        try await commit("accounts: add session refresh")
        try await deploy(try await reopen(), ["accounts"], to: ["development", "staging"])

        try write(["apps/landing-page/server.py": Self.server(title: "Landing page", revision: 2, failure: .unhealthy)])
        try await commit("landing-page: new hero (its health check fails: the deploy is refused)")
        try await deploy(try await reopen(), ["landing-page"], to: ["development"])

        try write(["apps/qis-data-management/server.py": Self.server(title: "QIS data management", revision: 2, failure: .degradesAfterStart)])
        try await commit("qis-data-management: new importer (fails after the switch: switched back by itself)")
        try await deploy(try await reopen(), ["qis-data-management"], to: ["development"])

        guard cloud != nil else { return }
        try write(DemoCloud.secondRevision())
        try await commit("orders and edge: revision 2 (the first stays warm: a switch back is instant)")
        try await deploy(try await reopen(), ["orders", "edge"], to: ["development"])
    }

    // MARK: The cloud part

    /// Starts the stand-ins, makes the resources an operator would have made in moto, and commits
    /// the two cloud components; the stand-ins are stopped again if any of that fails.
    private func addCloudComponents(
        _ tools: DemoCloudTools, store: EventStore
    ) async throws(SlipwayError) -> (cloud: DemoCloud, pairs: [DemoCloud.ECSPair]) {
        let cloud = try await DemoCloud.start(tools: tools, store: store, logs: directory.appendingPathComponent(".slipway/logs"))
        do {
            output("cloud stand-ins: moto, an AWS API emulator, on \(cloud.moto.url); a STAND-IN for Cloudflare's API on "
                + "\(cloud.cloudflare.url) (not Cloudflare: the real API cannot be reached from here)")
            adopt(cloud.variables, bin: tools.bin)
            try write([DemoCloud.variablesFile: cloud.variablesText], mode: 0o600)
            output("their variables, for the aws CLI or slipway in another shell: "
                + "'set -a; . \(directory.appendingPathComponent(DemoCloud.variablesFile).path); set +a'")
            let pairs = try await cloud.provision(environments: ["development", "staging", "production"])
            output("made in moto: cluster demo, an ALB with a listener per environment forwarding to blue, "
                + "target groups and services orders-<environment>-blue and -green")
            try write(DemoCloud.files(pairs))
            try await commit("Add an ECS service (orders) and a Worker (edge), on moto and the Cloudflare stand-in")
            return (cloud, pairs)
        } catch {
            await cloud.stop(in: store)
            throw error
        }
    }

    /// Reuses the demo already there, unless it is wanted with its cloud part and that part's
    /// stand-ins have stopped: they keep nothing once stopped, so the demo is made again.
    private func reuse() async throws(SlipwayError) -> Bool {
        let engine = try await reopen()
        let client = AgentClient(workspace: engine.workspace.root, statePath: engine.statePath)
        let standIns = try engine.store.processes(on: .thisHost).filter { $0.isStandIn && $0.identity.isAlive(lastHeartbeat: .distantPast) }
        let variables = try? String(contentsOf: directory.appendingPathComponent(DemoCloud.variablesFile), encoding: .utf8)
        if cloud != nil, standIns.count < 2 || variables == nil {
            output("the demo in \(directory.path) has no cloud stand-ins running (they keep nothing once stopped): making it again")
            let agentAnswers = await client.answers()
            let hasProcesses = try engine.hasLocalProcesses()
            if agentAnswers || hasProcesses || !standIns.isEmpty {
                try await client.start()
                _ = try await client.send(.stop)
                while await client.answers() { try? await Task.sleep(for: .milliseconds(100)) }
            }
            return false
        }
        output("reusing the demo in \(directory.path) (--reset recreates it)")
        if let variables, let bin = cloud?.bin ?? (try? DemoCloudTools.locate())?.bin {
            if standIns.count == 2 {
                adopt(DemoCloud.variables(in: variables), bin: bin)
            } else {
                output("its cloud components' stand-ins have stopped: 'slipway demo --cloud' makes the demo again with new ones")
            }
        }
        // After a reboot its slots are gone: a new agent adopts what runs and restarts the rest.
        try await client.start()
        return true
    }

    /// The agent this demo starts and the console it opens inherit these: a run the agent
    /// executes takes the variables of whoever asked for it.
    private func adopt(_ variables: [String: String], bin: URL) {
        for (name, value) in variables { setenv(name, value, 1) }
        unsetenv("AWS_PROFILE")
        let path = ProcessInfo.processInfo.environment["PATH"] ?? "/usr/bin:/bin"
        if !path.split(separator: ":").contains(Substring(bin.path)) { setenv("PATH", "\(bin.path):\(path)", 1) }
    }

    private func reopen() async throws(SlipwayError) -> Engine {
        try await Engine.open(workspace: directory, state: nil, output: { _ in })
    }

    private func deploy(_ engine: Engine, _ components: [String], to environments: [String]) async throws(SlipwayError) {
        for environment in environments {
            for component in components {
                let result = try await Deployer(engine: engine).deploy(component, environment: environment, version: nil, force: false)
                output("deploy \(component) to \(environment): \(result.state.rawValue)")
            }
        }
    }

    private func templateFiles() throws(SlipwayError) -> [String: String] {
        var files: [String: String] = [:]
        for name in ["shared.mk", "local.mk", "cloudflare.mk", "aws.mk", "doppler.mk", "app-template.mk"] {
            guard let text = try? String(contentsOf: templates.appendingPathComponent(name), encoding: .utf8) else {
                throw SlipwayError(.fileAccess(
                    .read, path: templates.appendingPathComponent(name).path, problem: "set SLIPWAY_DEPLOY_DIR to Slipway's deploy/ folder"))
            }
            files["deploy/\(name)"] = text
        }
        return files
    }

    private func write(_ files: [String: String], mode: Int? = nil) throws(SlipwayError) {
        for (path, text) in files {
            let url = directory.appendingPathComponent(path)
            do {
                try FileManager.default.createDirectory(at: url.deletingLastPathComponent(), withIntermediateDirectories: true)
                try text.write(to: url, atomically: true, encoding: .utf8)
                if let mode = mode ?? (path.hasSuffix("healthcheck") ? 0o755 : nil) {
                    try FileManager.default.setAttributes([.posixPermissions: mode], ofItemAtPath: url.path)
                }
            } catch {
                throw SlipwayError(.fileAccess(.write, path: url.path, problem: error.localizedDescription))
            }
        }
    }

    private func git(_ arguments: [String]) async throws(SlipwayError) {
        let result = try await GitRepository.run(arguments, in: directory)
        guard result.status == 0 else { throw .failure("git \(arguments.joined(separator: " ")): \(result.output)") }
    }

    private func commit(_ message: String) async throws(SlipwayError) {
        try await git(["add", "-A"])
        try await git(["commit", "-q", "-m", message])
    }

    // MARK: The demo's files

    /// The demo's environments (ADR-015's block, as written) and the branches that deploy to them; the
    /// benchmarks' generated workspaces use it too, so that they load the same configuration.
    public static let environments = """
        environments:
          development:
            database: "neon-dev-branch"
            workers_env: "dev"
            monitoring: "basic"
            sonarqube: "disabled"

          staging:
            database: "neon-staging-branch"
            workers_env: "staging"
            monitoring: "full"
            sonarqube: "enabled"

          production:
            database: "neon-main"
            workers_env: "production"
            monitoring: "full"
            sonarqube: "enabled"
            backup_schedule: "daily"

        branches:
          develop: staging
          main: production
        """

    static func files(templates: [String: String]) -> [String: String] {
        var files = templates
        files[".gitignore"] = ".slipway/\n__pycache__/\n"
        files["slipway.yml"] = """
            # The demo workspace's configuration. The environments block is ADR-015's, as written.
            \(environments)

            secrets: [DATABASE_URL]
            # Every route into production checks that a pipeline run tested and gated that exact version.
            production_gates: required
            strategy: blue-green
            monitoringPeriod: 30m
            rollbackThresholds:
              errorRate: 1
              latencyIncrease: 10
            # The demo's services write no coverage or scan reports, so the SonarQube-style gate is off
            # here (quality_gates in deploy/slipway.reference.yml); the pipeline still runs their tests.
            quality_gates:
              sonarqube: false
              security_scan: false

            """
        files["Makefile"] = """
            # The universal interface of ADR-015, forwarded to slipway.
            SLIPWAY ?= slipway
            ENV ?= development

            .PHONY: deploy-all deploy-app deploy-service test-all test-app health-check-all setup-env list-apps list-services
            deploy-all: ; $(SLIPWAY) deploy-all --env $(ENV)
            deploy-app: ; $(SLIPWAY) deploy-app $(APP) --env $(ENV)
            deploy-service: ; $(SLIPWAY) deploy-service $(SERVICE) --env $(ENV)
            test-all: ; $(SLIPWAY) test-all
            test-app: ; $(SLIPWAY) test-app $(APP)
            health-check-all: ; $(SLIPWAY) health-check-all --env $(ENV)
            setup-env: ; $(SLIPWAY) setup-env
            list-apps: ; $(SLIPWAY) list-apps
            list-services: ; $(SLIPWAY) list-services

            """
        let components: [(path: String, title: String, type: String)] = [
            ("apps/landing-page", "Landing page", "nodejs"),
            ("apps/qis-data-management", "QIS data management", "python"),
            ("services/accounts", "Accounts", "nodejs"),
            ("services/admin", "Admin", "docker"),
        ]
        for component in components {
            let name = String(component.path.split(separator: "/").last!)
            files["\(component.path)/Makefile"] = makefile(name: name, type: component.type, test: "python3 -m py_compile server.py")
            files["\(component.path)/slipway.yml"] = """
                # Runs on this machine: a small HTTP service behind Slipway's router.
                run: exec python3 server.py
                post_promotion: 3s
                health:
                  interval: 200ms
                  attempts: 15

                """
            files["\(component.path)/server.py"] = server(title: component.title, revision: 1)
        }
        files["apps/landing-page/package.json"] = #"{ "name": "landing-page", "version": "1.0.0", "private": true }"# + "\n"
        files["services/accounts/package.json"] = #"{ "name": "accounts", "version": "1.0.0", "private": true }"# + "\n"
        files["apps/qis-data-management/requirements.txt"] = "# standard library only\n"
        files["services/admin/Dockerfile"] = "FROM python:3.11-slim\nCOPY . /app\nCMD [\"python3\", \"/app/server.py\"]\n"
        return files
    }

    static func makefile(name: String, type: String, test: String) -> String {
        """
        APP_NAME := \(name)
        APP_TYPE := \(type)
        DEPLOYMENT_TARGET := local
        TEST_COMMAND := \(test)

        include ../../deploy/shared.mk
        include ../../deploy/local.mk

        """
    }

    /// How a demo release misbehaves, so a newcomer sees Slipway's guards at work.
    enum Failure {
        case none
        /// `/health` answers 503 from the start: the health gate refuses the deploy.
        case unhealthy
        /// Healthy for a second and a half, then every request fails: the post-promotion window switches back.
        case degradesAfterStart
    }

    static func server(title: String, revision: Int, failure: Failure = .none) -> String {
        let failing: String
        switch failure {
        case .none: failing = "False"
        case .unhealthy: failing = "self.path == '/health'"
        case .degradesAfterStart: failing = "time.time() - STARTED > 1.5"
        }
        return """
            # \(title), revision \(revision): a small HTTP service for Slipway's demo (python3 standard library).
            import http.server, os, time

            STARTED = time.time()
            VERSION = os.environ.get("SLIPWAY_VERSION", "dev")
            COLOR = os.environ.get("SLIPWAY_COLOR", "none")

            class Handler(http.server.BaseHTTPRequestHandler):
                protocol_version = "HTTP/1.1"

                def do_GET(self):
                    if \(failing):
                        self.reply(503, "text/plain", "unavailable\\n")
                    elif self.path == "/health":
                        self.reply(200, "text/plain", "ok\\n")
                    else:
                        page = "<!doctype html><title>\(title)</title><h1>\(title)</h1><p>version %s, %s slot, revision \(revision)</p>\\n"
                        self.reply(200, "text/html", page % (VERSION, COLOR))

                def reply(self, status, kind, text):
                    body = text.encode()
                    self.send_response(status)
                    self.send_header("Content-Type", kind)
                    self.send_header("Content-Length", str(len(body)))
                    self.end_headers()
                    self.wfile.write(body)

                def log_message(self, format, *args):
                    print("%s %s" % (self.command, self.path), flush=True)

            http.server.ThreadingHTTPServer(("127.0.0.1", int(os.environ["PORT"])), Handler).serve_forever()

            """
    }
}
