import Foundation
import SlipwayTestSupport
import Testing

/// An environment's secrets from its provider reach the goals that deploy there, masked
/// everywhere; a provider that cannot give them refuses the deploy with one line, before any
/// run begins. Doppler is a stand-in here (its API cannot be reached from tests).
@Suite struct SecretsProviderCommandTests {
    func workspace(secrets: String, function: String = #function) throws -> TemporaryWorkspace {
        let workspace = try FakeCloudWorkspace.create(function: function)
        try workspace.write([
            "slipway.yml": "environments:\n  staging:\n    secrets: \(secrets)\n  production: {}\n",
            ".gitignore": ".env.*\n",
        ])
        try workspace.commitAll("secrets from a provider")
        return workspace
    }

    /// Every file under .slipway/ (the store, its WAL, the agent's logs) that holds `secret`.
    func filesHolding(_ secret: String, in workspace: TemporaryWorkspace) throws -> [String] {
        let directory = workspace.root.appendingPathComponent(".slipway")
        let names = FileManager.default.enumerator(atPath: directory.path)?.compactMap { $0 as? String } ?? []
        return try names.filter { name in
            var isDirectory: ObjCBool = false
            let path = directory.appendingPathComponent(name).path
            guard FileManager.default.fileExists(atPath: path, isDirectory: &isDirectory), !isDirectory.boolValue else { return false }
            return try Data(contentsOf: URL(fileURLWithPath: path)).range(of: Data(secret.utf8)) != nil
        }
    }

    @Test func anEnvFilesSecretsReachTheDeployGoalMasked() throws {
        let workspace = try workspace(secrets: "{provider: env-file}")
        let slipway = SlipwayProcess(workspace)
        defer { #expect(slipway.stopAgentAndListLeftovers().isEmpty) }
        let secret = "tok-\(UUID().uuidString)"
        let file = workspace.root.appendingPathComponent(".env.staging")
        try "# staging\nexport DEPLOY_TOKEN=\"\(secret)\"\n".write(to: file, atomically: true, encoding: .utf8)

        chmod(file.path, 0o644)
        let open = try slipway("deploy-app", "web", "--env", "staging")
        #expect(open.status == 2, "\(open.stdout)\(open.stderr)")
        #expect(open.stderr.contains(".env.staging holds the secrets of staging and others may read it (mode 644): run 'chmod 600 .env.staging'"), "\(open.stderr)")
        #expect(!open.stdout.contains("deploying web"), "nothing deployed")

        chmod(file.path, 0o600)
        let result = try slipway("deploy-app", "web", "--env", "staging")
        #expect(result.status == 0, "\(result.stdout)\(result.stderr)")
        #expect(result.stdout.contains("deploying web") && result.stdout.contains("token=****"), "\(result.stdout)")
        #expect(!result.stdout.contains(secret) && !result.stderr.contains(secret))
        #expect(try filesHolding(secret, in: workspace).isEmpty)

        let elsewhere = try slipway("deploy-app", "web", "--env", "production")
        #expect(elsewhere.status == 0 && elsewhere.stdout.contains("deploying web"), "\(elsewhere.stdout)\(elsewhere.stderr)")
        #expect(!elsewhere.stdout.contains("token=****"), "production has no provider: \(elsewhere.stdout)")
    }

    @Test func anEnvFileGitWouldCommitIsRefused() throws {
        let workspace = try workspace(secrets: "{provider: env-file, path: staging.env}")
        let slipway = SlipwayProcess(workspace)
        defer { #expect(slipway.stopAgentAndListLeftovers().isEmpty) }
        let file = workspace.root.appendingPathComponent("staging.env")
        try "DEPLOY_TOKEN=tok-visible\n".write(to: file, atomically: true, encoding: .utf8)
        chmod(file.path, 0o600)
        let result = try slipway("deploy-app", "web", "--env", "staging")
        #expect(result.status == 2)
        #expect(result.stderr.contains("staging.env holds the secrets of staging and git does not ignore it: add it to .gitignore"), "\(result.stderr)")
        #expect(result.stderr.split(separator: "\n").count == 1, "\(result.stderr)")
    }

    @Test func dopplersSecretsReachTheDeployGoalAndARefusedTokenStopsBeforeAnyRun() throws {
        let secret = "dp-secret-\(UUID().uuidString)"
        let doppler = try DopplerStandin(configs: ["shop/stg": ["DEPLOY_TOKEN": secret, "OTHER_SETTING": "plain-value"]])
        defer { doppler.stop() }
        let workspace = try workspace(secrets: "{provider: doppler, project: shop, config: stg}")
        let slipway = SlipwayProcess(workspace)
        defer { #expect(slipway.stopAgentAndListLeftovers().isEmpty) }

        let result = try slipway("deploy-app", "web", "--env", "staging", environment: doppler.environment)
        #expect(result.status == 0, "\(result.stdout)\(result.stderr)")
        #expect(result.stdout.contains("token=****") && !result.stdout.contains(secret), "\(result.stdout)")
        #expect(try filesHolding(secret, in: workspace).isEmpty)
        let calls = try doppler.log()
        #expect(calls.count == 1, "\(calls)")
        #expect((calls.first?["query"] as? [String: String]) == ["project": "shop", "config": "stg", "format": "json"])

        var wrong = doppler.environment
        wrong["DOPPLER_TOKEN"] = "dp.st.revoked"
        let refused = try slipway("deploy-app", "web", "--env", "staging", "--force", environment: wrong)
        #expect(refused.status == 1)
        #expect(refused.stderr.contains("Doppler refused DOPPLER_TOKEN (401: Invalid Auth token) for Doppler project shop, config stg; nothing was deployed"), "\(refused.stderr)")
        #expect(try doppler.log().count == 2, "a refused token is not tried again")
        let runs = try #require(try slipway.json("runs") as? [[String: Any]])
        #expect(runs.count == 1, "only the first deploy ran: \(runs)")
        let rejected = try slipway("events", "--json").stdout.split(separator: "\n").filter { $0.contains("request.rejected") }
        #expect(rejected.count == 1 && rejected[0].contains("Doppler refused"), "\(rejected)")
    }

    /// Doppler answering 503 twice is tried again with backoff, each retry said, and the deploy goes on.
    @Test func dopplerServerErrorsAreRetriedUntilTheSecretsCome() throws {
        let secret = "dp-secret-\(UUID().uuidString)"
        let doppler = try DopplerStandin(configs: ["shop/stg": ["DEPLOY_TOKEN": secret]])
        defer { doppler.stop() }
        let workspace = try workspace(secrets: "{provider: doppler, project: shop, config: stg}")
        let slipway = SlipwayProcess(workspace)
        defer { #expect(slipway.stopAgentAndListLeftovers().isEmpty) }
        try doppler.fault(status: 503, count: 2)

        let result = try slipway("deploy-app", "web", "--env", "staging", environment: doppler.environment)
        #expect(result.status == 0, "\(result.stdout)\(result.stderr)")
        #expect(result.stdout.contains("Doppler project shop, config stg: 503 Service Unavailable (a fault the test asked for); retrying in"),
                "\(result.stdout)")
        #expect(result.stdout.contains("(attempt 2)") && result.stdout.contains("token=****"), "\(result.stdout)")
        #expect(try doppler.log().count == 3)
    }

    @Test func theGitHubWorkflowPassesTheSecretsTheWorkspaceNames() throws {
        let workspace = try workspace(secrets: "{provider: doppler, project: shop, config: stg}")
        try workspace.write(["slipway.yml": "secrets: [DEPLOY_TOKEN]\nenvironments:\n  staging:\n    secrets: {provider: doppler, project: shop, config: stg}\n"])
        let slipway = SlipwayProcess(workspace)
        let written = try slipway("ci", "github")
        #expect(written.status == 0, "\(written.stderr)")
        let file = workspace.root.appendingPathComponent(".github/workflows/slipway-pipeline.yml")
        let text = try String(contentsOf: file, encoding: .utf8)
        #expect(text.contains("          BEFORE: ${{ github.event.before }}\n          DEPLOY_TOKEN: ${{ secrets.DEPLOY_TOKEN }}\n          DOPPLER_TOKEN: ${{ secrets.DOPPLER_TOKEN }}\n"), "\(text)")
        let pullRequest = try #require(text.range(of: "Pipeline (pull request"))
        #expect(!text[pullRequest.lowerBound...].contains("secrets."), "a pull request's step gets none")
        let check = try workspace.run(try ExternalTool.require("check-jsonschema"), ["--builtin-schema", "vendor.github-workflows", file.path])
        #expect(check.status == 0, "\(check.output)")
    }
}
