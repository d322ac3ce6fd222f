import Foundation

/// The live demo: the seed's four components as a git repository, deployed for real (target
/// `local`) to development, staging and production, with some history worth looking at.
public struct DemoWorkspace: Sendable {
    public var directory: URL
    public var output: @Sendable (String) -> Void
    /// Where the shared `deploy/*.mk` files come from: `$SLIPWAY_DEPLOY_DIR`, else this checkout's `deploy/`.
    public var templates: URL

    public init(directory: URL, output: @escaping @Sendable (String) -> Void, templates: URL? = nil) {
        self.directory = directory
        self.output = output
        self.templates = templates
            ?? ProcessInfo.processInfo.environment["SLIPWAY_DEPLOY_DIR"].map { URL(fileURLWithPath: $0) }
            ?? URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
                .deletingLastPathComponent().deletingLastPathComponent().appendingPathComponent("deploy")
    }

    /// Creates and deploys the demo, or reuses the one already there.
    public func prepare(reset: Bool) async throws(SlipwayError) {
        let manager = FileManager.default
        if reset { try? manager.removeItem(at: directory) }
        if manager.fileExists(atPath: directory.appendingPathComponent(".slipway/state.db").path) {
            output("reusing the demo in \(directory.path) (--reset recreates it)")
            return
        }
        try? manager.removeItem(at: directory)
        output("creating the demo workspace in \(directory.path)")
        try write(Self.files(templates: try templateFiles()))
        try await git(["init", "-q", "-b", "main"])
        try await git(["config", "user.email", "demo@slipway.local"])
        try await git(["config", "user.name", "Slipway Demo"])
        try await commit("Add the four components of ADR-015")

        let engine = try await Engine.open(workspace: directory, state: nil, output: { _ in })
        try await deploy(engine, ["landing-page", "qis-data-management", "accounts", "admin"], to: ["development", "staging", "production"])

        try write(["services/accounts/server.js": Self.accountsServer(version: 2)])
        try await commit("accounts: add session refresh")
        try await deploy(try await reopen(), ["accounts"], to: ["development", "staging"])

        try write(["apps/landing-page/index.html": Self.landingPage(headline: "Ship every app the same way")])
        try await commit("landing-page: new headline")
        try await deploy(try await reopen(), ["landing-page"], to: ["development"])

        try write(["apps/qis-data-management/app.py": Self.qisApp(broken: true)])
        try await commit("qis-data-management: new importer (its health check fails)")
        try await deploy(try await reopen(), ["qis-data-management"], to: ["development"])
        output("demo ready: 4 components, 3 environments, \(try await reopen().store.runs(limit: 1000).count) runs")
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
                throw .failure("cannot read \(templates.appendingPathComponent(name).path): set SLIPWAY_DEPLOY_DIR to Slipway's deploy/ folder")
            }
            files["deploy/\(name)"] = text
        }
        return files
    }

    private func write(_ files: [String: String]) throws(SlipwayError) {
        for (path, text) in files {
            let url = directory.appendingPathComponent(path)
            do {
                try FileManager.default.createDirectory(at: url.deletingLastPathComponent(), withIntermediateDirectories: true)
                try text.write(to: url, atomically: true, encoding: .utf8)
                if path.hasSuffix("healthcheck") {
                    try FileManager.default.setAttributes([.posixPermissions: 0o755], ofItemAtPath: url.path)
                }
            } catch {
                throw .failure("cannot write \(url.path): \(error.localizedDescription)")
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

    static func files(templates: [String: String]) -> [String: String] {
        var files = templates
        files[".gitignore"] = ".slipway/\n"
        files["slipway.yml"] = """
            # The demo workspace's configuration. The environments block is ADR-015's, as written.
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

            secrets: [DATABASE_URL]
            strategy: blue-green
            monitoringPeriod: 30m
            rollbackThresholds:
              errorRate: 1
              latencyIncrease: 10

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
        files["apps/landing-page/Makefile"] = makefile(name: "landing-page", type: "nodejs", test: "test -s index.html")
        files["apps/landing-page/package.json"] = #"{ "name": "landing-page", "version": "1.0.0", "private": true }"# + "\n"
        files["apps/landing-page/index.html"] = landingPage(headline: "One deploy console for every app")
        files["apps/landing-page/healthcheck"] = "#!/bin/sh\ngrep -q '<h1>' \"$(dirname \"$0\")/index.html\"\n"
        files["apps/qis-data-management/Makefile"] = makefile(
            name: "qis-data-management", type: "python", test: "python3 -m py_compile app.py")
        files["apps/qis-data-management/requirements.txt"] = "# standard library only\n"
        files["apps/qis-data-management/app.py"] = qisApp(broken: false)
        files["apps/qis-data-management/healthcheck"] = "#!/bin/sh\nexec python3 \"$(dirname \"$0\")/app.py\" --check\n"
        files["services/accounts/Makefile"] = makefile(name: "accounts", type: "nodejs", test: "test -s server.js")
        files["services/accounts/package.json"] = #"{ "name": "accounts", "version": "1.0.0", "private": true }"# + "\n"
        files["services/accounts/server.js"] = accountsServer(version: 1)
        files["services/admin/Makefile"] = makefile(name: "admin", type: "docker", test: "test -s Dockerfile")
        files["services/admin/Dockerfile"] = "FROM python:3.11-slim\nCOPY . /app\nCMD [\"python3\", \"-m\", \"http.server\"]\n"
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

    static func landingPage(headline: String) -> String {
        "<!doctype html>\n<title>Landing page</title>\n<h1>\(headline)</h1>\n"
    }

    static func qisApp(broken: Bool) -> String {
        """
        import sys

        def check():
            \(broken ? "raise SystemExit('importer: cannot reach the QIS feed')" : "print('qis-data-management ok')")

        if __name__ == "__main__" and "--check" in sys.argv:
            check()

        """
    }

    static func accountsServer(version: Int) -> String {
        "// accounts service, revision \(version)\nmodule.exports = { health: () => 'ok', revision: \(version) };\n"
    }
}
