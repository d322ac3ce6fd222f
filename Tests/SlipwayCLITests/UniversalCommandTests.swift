import Foundation
import SlipwayTestSupport
import Testing

@Suite struct UniversalCommandTests {
    @Test func listAppsAndServicesAsJSON() throws {
        let workspace = try FakeCloudWorkspace.create()
        let slipway = SlipwayProcess(workspace)
        let apps = try #require(try slipway.json("list-apps") as? [[String: String]])
        #expect(apps == [["name": "web", "kind": "app", "path": "apps/web", "technology": "nodejs", "target": "fake-cloud"]])
        let services = try #require(try slipway.json("list-services") as? [[String: String]])
        #expect(services.map { $0["name"] } == ["accounts"])
        #expect(services.first?["kind"] == "service")
    }

    /// Listing components reads the workspace only: no store is opened (none is created), and a
    /// shared store that cannot be reached does not stop it. Folders the engine sets aside are
    /// still left out, with their warning.
    @Test func listingComponentsOpensNoStore() throws {
        let workspace = try FakeCloudWorkspace.create()
        try workspace.write(["services/weighted/slipway.yml": "strategy: canary\n"])
        try workspace.write(["services/weighted/Makefile": "deploy:\n\ttrue\n"])
        let slipway = SlipwayProcess(workspace)
        let store = workspace.root.appendingPathComponent(".slipway/state.db").path
        for command in ["list-apps", "list-services"] {
            let listed = try slipway(command)
            #expect(listed.status == 0, "\(listed.stderr)")
            #expect(!FileManager.default.fileExists(atPath: store), "\(command) created the store")
        }
        let unreachable = ["SLIPWAY_STORE_URL": "postgres://nobody@127.0.0.1:1/slipway?connect_timeout=2"]
        let services = try slipway("list-services", environment: unreachable)
        #expect(services.status == 0, "\(services.stderr)")
        #expect(services.stdout.contains("accounts") && !services.stdout.contains("weighted"), "\(services.stdout)")
        #expect(services.stderr.contains("warning: services/weighted") && services.stderr.contains("strategy canary needs a target"), "\(services.stderr)")
        let apps = try #require(try JSONSerialization.jsonObject(with: Data(try slipway("list-apps", "--json", environment: unreachable).stdout.utf8)) as? [[String: String]])
        #expect(apps.map { $0["name"] } == ["web"])
    }

    @Test func deployStreamsOutputStoresItAndRecordsEvents() throws {
        let workspace = try FakeCloudWorkspace.create()
        let slipway = SlipwayProcess(workspace)
        let version = try FakeCloudWorkspace.version(workspace, "services/accounts")
        let result = try slipway("deploy-service", "services/accounts", "--env", "staging")
        #expect(result.status == 0, "\(result.stderr)")
        #expect(result.stdout.contains("deploying accounts \(version) to staging content=accounts-1"))

        let runs = try #require(try slipway.json("runs") as? [[String: Any]])
        let run = try #require(runs.first)
        #expect(run["state"] as? String == "succeeded")
        #expect(run["actor"] as? String == "tester")
        let shown = try #require(try slipway.json("runs", "show", run["id"] as! String) as? [String: Any])
        let output = try #require(shown["output"] as? [String])
        #expect(output.contains { $0.contains("deploying accounts \(version) to staging") })
        let stages = try #require(shown["stages"] as? [[String: Any]])
        #expect(stages.map { $0["name"] as? String } == ["build", "deploy", "health-check"])

        let events = try slipway("events", "--json").stdout.split(separator: "\n")
            .compactMap { try? JSONSerialization.jsonObject(with: Data($0.utf8)) as? [String: Any] }
        let kinds = events.compactMap { $0["kind"] as? String }
        #expect(kinds.contains("run.started") && kinds.contains("deploy.succeeded") && kinds.contains("release.tagged"))

        let status = try #require(try slipway.json("status") as? [[String: Any]])
        let staging = try #require(status.first { $0["component"] as? String == "accounts" && $0["environment"] as? String == "staging" })
        #expect(staging["live_version"] as? String == version)
        #expect(staging["health"] as? String == "healthy")
        #expect(staging["live_color"] is NSNull)
        #expect(staging["url"] is NSNull)
    }

    @Test func exitCodesSayWhatHappened() throws {
        let workspace = try FakeCloudWorkspace.create()
        let slipway = SlipwayProcess(workspace)
        #expect(try slipway("test-app", "web").status == 0)
        #expect(try slipway("test-app", "web", environment: ["FAIL_TEST": "1"]).status == 1)
        #expect(try slipway("test-all", environment: ["FAIL_TEST": "1"]).status == 1)
        #expect(try slipway("deploy-app", "web", "--env", "production", environment: ["FAIL_DEPLOY": "production"]).status == 1)
        #expect(try slipway("deploy-app", "web", "--env", "staging").status == 0)
        #expect(try slipway("health-check-all", "--env", "staging").status == 0)
        #expect(try slipway("health-check-all", "--env", "staging", environment: ["FAIL_HEALTH": "1"]).status == 1)
    }

    @Test func usageAndConfigurationErrorsExitTwoWithOneLine() throws {
        let workspace = try FakeCloudWorkspace.create()
        let slipway = SlipwayProcess(workspace)
        for arguments in [["deploy-app"], ["no-such-command"], ["deploy-app", "web", "--bogus"], ["runs", "show"], ["events", "--limit=-1"]] {
            let result = try slipway.run(arguments)
            #expect(result.status == 2, "\(arguments)")
            #expect(result.stderr.split(separator: "\n").count == 1, "\(arguments): \(result.stderr)")
        }
        let unknownApp = try slipway("deploy-app", "webb", "--env", "staging")
        #expect(unknownApp.status == 2)
        #expect(unknownApp.stderr == "slipway: error: unknown app 'webb'; did you mean 'web'? (known: web)\n")
        let typo = try slipway("delpoy-all", "--env", "staging")
        #expect(typo.status == 2)
        #expect(typo.stderr.contains("did you mean 'deploy-all'?"), "\(typo.stderr)")
        let unknownEnvironment = try slipway("deploy-app", "web", "--env", "prod")
        #expect(unknownEnvironment.status == 2)
        #expect(unknownEnvironment.stderr.contains("unknown environment 'prod' (known: development, staging, production)"))
        #expect(try slipway("status").status == 0)

        try workspace.write(["slipway.yml": "environments:\n  staging:\n    sonarqube: sometimes\n"])
        let broken = try slipway("config", "check")
        #expect(broken.status == 2)
        #expect(broken.stderr.hasPrefix("slipway: error: slipway.yml:3:16: sonarqube must be enabled or disabled"))
    }

    @Test func noSubcommandWithoutATerminalPrintsUsageAndExitsTwo() throws {
        let workspace = try FakeCloudWorkspace.create()
        let result = try SlipwayProcess(workspace)()
        #expect(result.status == 2)
        #expect(result.stderr.contains("USAGE: slipway"))
    }

    @Test func redeployingTheLiveVersionNeedsForceAndIsRecorded() throws {
        let workspace = try FakeCloudWorkspace.create()
        let slipway = SlipwayProcess(workspace)
        #expect(try slipway("deploy-app", "web", "--env", "staging").status == 0)
        let again = try slipway("deploy-app", "web", "--env", "staging")
        #expect(again.status == 2)
        #expect(again.stderr.contains("is already live in staging; use --force"))
        #expect(try slipway("deploy-app", "web", "--env", "staging", "--force").status == 0)
        let events = try slipway("events", "--json").stdout
        #expect(events.contains(#""forced":true"#))
    }

    @Test func secretsInOutputNeverReachTheStore() throws {
        let workspace = try FakeCloudWorkspace.create()
        let slipway = SlipwayProcess(workspace)
        let secret = "tok-\(UUID().uuidString)"
        let result = try slipway("deploy-app", "web", "--env", "staging", environment: ["DEPLOY_TOKEN": secret])
        #expect(result.status == 0)
        #expect(!result.stdout.contains(secret))
        #expect(result.stdout.contains("token=****"))
        // Every file under .slipway/: the store and its WAL, and the agent's logs, which executed the run.
        let directory = workspace.root.appendingPathComponent(".slipway")
        let files = FileManager.default.enumerator(atPath: directory.path)?.compactMap { $0 as? String } ?? []
        for name in files {
            var isDirectory: ObjCBool = false
            let path = directory.appendingPathComponent(name).path
            guard FileManager.default.fileExists(atPath: path, isDirectory: &isDirectory), !isDirectory.boolValue else { continue }
            let data = try Data(contentsOf: URL(fileURLWithPath: path))
            #expect(data.range(of: Data(secret.utf8)) == nil, "\(name) holds the secret")
        }
    }

    @Test func unsafeNamesAndVersionsNeverReachAShellOrLeaveTheirFolder() throws {
        let workspace = try FakeCloudWorkspace.create()
        let slipway = SlipwayProcess(workspace)
        defer {
            let leftovers = slipway.stopAgentAndListLeftovers()
            #expect(leftovers.isEmpty, "processes left behind: \(leftovers)")
        }
        let marker = workspace.root.appendingPathComponent("pwned")
        for version in ["../../escape", "$(shell touch \(marker.path))", "v1; touch \(marker.path)", "a b"] {
            let result = try slipway("deploy-app", "web", "--env", "staging", "--version", version)
            #expect(result.status == 2, "\(version)")
            #expect(result.stderr.contains("invalid version"))
            #expect(!slipway.agentIsRunning, "a refused version starts no agent")
        }
        #expect(!FileManager.default.fileExists(atPath: marker.path))
        #expect(!FileManager.default.fileExists(atPath: workspace.root.deletingLastPathComponent().appendingPathComponent("escape").path))
        try workspace.makeFolder("apps/bad;name")
        let badName = try slipway("config", "check")
        #expect(badName.status == 2)
        #expect(badName.stderr.contains("apps/bad;name: component name 'bad;name' must match"))
        let listed = try slipway("list-apps")
        #expect(listed.status == 0 && listed.stderr.contains("warning: apps/bad;name: component name 'bad;name' must match"), "\(listed.stderr)")
    }
}
