import Foundation
import SlipwayTestSupport
import Testing

/// The `cloudflare-workers` target against the Cloudflare stand-in (a stateful stand-in for the
/// API, not Cloudflare): releases are versions tagged with Slipway's version, deployments move the
/// traffic. Assertions read the stand-in's versions, deployments and call log back.
@Suite struct CloudflareWorkersTests {
    /// A stand-in and a workspace whose `services/edge` is a Worker (staging is the Workers
    /// environment `staging`, so the Worker is `edge-staging`); `settings` go into its slipway.yml.
    func worker(settings: String = "", function: String = #function) throws -> (CloudflareStandin, TemporaryWorkspace, SlipwayProcess) {
        let standin = try CloudflareStandin()
        let workspace = try TemporaryWorkspace(files: [
            "slipway.yml": """
                environments:
                  staging: {workers_env: staging}
                  production: {workers_env: production}

                """,
            "services/edge/src.js": "export default { fetch() { return new Response('1') } }\n",
            "services/edge/Makefile": """
                build:
                \tcp src.js index.js
                \techo "built $(VERSION)" >> build.log

                """,
            "services/edge/slipway.yml": """
                target: cloudflare-workers
                cloudflare:
                  script: edge
                  compatibility_date: "2024-09-23"
                \(settings)
                """,
            ".gitignore": ".slipway/\nindex.js\nbuild.log\n",
        ], function: function)
        try workspace.commitAll("edge")
        var slipway = SlipwayProcess(workspace)
        slipway.environment.merge(standin.environment) { _, new in new }
        return (standin, workspace, slipway)
    }

    func release(_ workspace: TemporaryWorkspace, _ version: String) throws {
        try workspace.write(["services/edge/src.js": "export default { fetch() { return new Response('\(version)') } }\n"])
        try workspace.commitAll(version)
    }

    /// Every deployment of the Worker, oldest first, as `[tag: percentage]`.
    static func deployments(_ standin: CloudflareStandin, _ script: String = "edge-staging") throws -> [[String: Double]] {
        let (versions, deployments) = try standin.worker(script)
        var tags: [String: String] = [:]
        for version in versions {
            tags[version["id"] as? String ?? ""] = (version["annotations"] as? [String: Any])?["workers/tag"] as? String ?? "?"
        }
        return deployments.map { deployment in
            var split: [String: Double] = [:]
            for share in deployment["versions"] as? [[String: Any]] ?? [] {
                split[tags[share["version_id"] as? String ?? ""] ?? "?"] = share["percentage"] as? Double ?? -1
            }
            return split
        }
    }

    static func tags(_ standin: CloudflareStandin, _ script: String = "edge-staging") throws -> [String] {
        try standin.worker(script).versions.map { ($0["annotations"] as? [String: Any])?["workers/tag"] as? String ?? "?" }
    }

    @Test func aReleaseIsATaggedVersionDeployedWholeAndARollbackDeploysThePreviousOneUnbuilt() throws {
        let (standin, workspace, slipway) = try worker()

        let v1 = try slipway("deploy-service", "edge", "--env", "staging", "--version", "v1", "--local")
        #expect(v1.status == 0, "\(v1.stdout)\(v1.stderr)")
        #expect(try Self.tags(standin) == ["v1"], "uploaded once, to the Workers environment's script edge-staging")
        #expect(try standin.split("edge-staging") == ["v1": 100])

        try release(workspace, "v2")
        let v2 = try slipway("deploy-service", "edge", "--env", "staging", "--version", "v2", "--local")
        #expect(v2.status == 0, "\(v2.stdout)\(v2.stderr)")
        #expect(try Self.tags(standin) == ["v1", "v2"])
        #expect(try standin.split("edge-staging") == ["v2": 100])
        let uploaded = try standin.worker("edge-staging").versions.last?["modules"] as? [String: String]
        #expect(uploaded?["index.js"]?.contains("Response('v2')") == true, "the build's module was uploaded")

        let rollback = try slipway("rollback", "edge", "--env", "staging", "--local")
        #expect(rollback.status == 0, "\(rollback.stdout)\(rollback.stderr)")
        #expect(rollback.stdout.contains("v1 is uploaded already"))
        #expect(try standin.split("edge-staging") == ["v1": 100], "the previous version takes every request again")
        #expect(try Self.tags(standin) == ["v1", "v2"], "nothing was uploaded again")
        #expect(try workspace.read("services/edge/build.log") == "built v1\nbuilt v2\n", "nothing was built again")
        #expect(try Self.deployments(standin).count == 3)
        for output in [v1, v2, rollback] {
            #expect(!(output.stdout + output.stderr).contains(standin.token), "the token is never shown")
        }
        let status = try slipway.json("status", "--env", "staging", "--json") as? [[String: Any]]
        #expect(status?.first { $0["component"] as? String == "edge" }?["live_version"] as? String == "v1")
    }

    @Test func aCanaryWalksPercentageDeploymentsJudgedByTheWorkersAnalytics() throws {
        let (standin, workspace, slipway) = try worker(settings: """
            strategy: canary
            monitoring_period: 3s
            canary: {steps: [50, 100], interval: 3s, threshold: 1, min_requests: 10}
            """)
        try standin.traffic(script: "edge-staging", rate: 200, profiles: [
            "v2": ["error_percent": 40, "wall_time_us": 20000],
            "v3": ["error_percent": 0, "wall_time_us": 20000],
        ])
        let v1 = try slipway("deploy-service", "edge", "--env", "staging", "--version", "v1", "--local")
        #expect(v1.status == 0, "with no deployment yet there is nothing to compare with: \(v1.stdout)\(v1.stderr)")

        try release(workspace, "v2")
        let bad = try slipway("deploy-service", "edge", "--env", "staging", "--version", "v2", "--local")
        #expect(bad.status == 1, "\(bad.stdout)\(bad.stderr)")
        #expect(bad.stdout.contains("error rate"), "\(bad.stdout)")
        #expect(try Self.deployments(standin) == [["v1": 100], ["v2": 50, "v1": 50], ["v1": 100]],
                "half the traffic, then every request back on v1")

        try release(workspace, "v3")
        let good = try slipway("deploy-service", "edge", "--env", "staging", "--version", "v3", "--local")
        #expect(good.status == 0, "\(good.stdout)\(good.stderr)")
        #expect(try Self.deployments(standin).suffix(2) == [["v3": 50, "v1": 50], ["v3": 100]], "promoted after a passing check")
    }
}

extension CloudflareWorkersTests {
    @Test func aRefusedTokenStopsWithOneLineNamingItAndMovesNoTraffic() throws {
        let (standin, workspace, slipway) = try worker()
        #expect(try slipway("deploy-service", "edge", "--env", "staging", "--version", "v1", "--local").status == 0)
        try release(workspace, "v2")

        let wrong = "wrong-token-\(UUID().uuidString)"
        let refused = try slipway("deploy-service", "edge", "--env", "staging", "--version", "v2", "--local",
                                  environment: ["CLOUDFLARE_API_TOKEN": wrong])
        #expect(refused.status == 1)
        let text = refused.stdout + refused.stderr
        #expect(text.contains("Cloudflare refused CLOUDFLARE_API_TOKEN (401"), "\(text)")
        #expect(!text.contains(wrong), "the token is masked")
        #expect(try Self.tags(standin) == ["v1"])
        #expect(try standin.split("edge-staging") == ["v1": 100])

        try standin.fault("POST", path: "/deployments", status: 403)
        let forbidden = try slipway("deploy-service", "edge", "--env", "staging", "--version", "v2", "--local")
        #expect(forbidden.status == 1)
        #expect((forbidden.stdout + forbidden.stderr).contains("Cloudflare refused CLOUDFLARE_API_TOKEN (403"))
        #expect(try standin.split("edge-staging") == ["v1": 100], "uploaded, but no traffic moved")
        let posts = try standin.log().filter { $0["method"] as? String == "POST" && ($0["path"] as? String ?? "").hasSuffix("/deployments") }
        #expect(posts.count == 2, "a refused call is not retried: \(posts)")
    }

    @Test func throttlingServerErrorsAndTimeoutsAreRetriedUntilTheDeploymentLands() throws {
        let (standin, _, slipway) = try worker(settings: "  request_timeout: 1s\n  retry_deadline: 60s")
        try standin.fault("POST", path: "/deployments", status: 429, retryAfter: 2)
        try standin.fault("POST", path: "/deployments", status: 500, count: 2)
        try standin.fault("GET", path: "/deployments", hang: 3)

        let deploy = try slipway("deploy-service", "edge", "--env", "staging", "--version", "v1", "--local")
        #expect(deploy.status == 0, "\(deploy.stdout)\(deploy.stderr)")
        #expect(try standin.split("edge-staging") == ["v1": 100])
        #expect(try Self.deployments(standin).count == 1, "one deployment, whatever the retries")
        let posts = try standin.log().filter { $0["method"] as? String == "POST" && ($0["path"] as? String ?? "").hasSuffix("/deployments") }
        #expect(posts.map { $0["status"] as? Int ?? 0 } == [429, 500, 500, 200], "\(posts)")
        if posts.count >= 2, let first = posts[0]["time"] as? Double, let second = posts[1]["time"] as? Double {
            #expect(second - first >= 2, "Retry-After: 2 was honoured")
        }
        #expect(deploy.stdout.contains("no answer within 1s"), "the hung read-back timed out and was retried: \(deploy.stdout)")
    }

    @Test func serverErrorsPastTheDeadlineFailTheRunWithTrafficWhereItWas() throws {
        let (standin, workspace, slipway) = try worker(settings: "  retry_deadline: 4s")
        #expect(try slipway("deploy-service", "edge", "--env", "staging", "--version", "v1", "--local").status == 0)
        try release(workspace, "v2")
        try standin.fault("POST", path: "/deployments", status: 503, count: 1000)

        let failed = try slipway("deploy-service", "edge", "--env", "staging", "--version", "v2", "--local")
        #expect(failed.status == 1)
        #expect((failed.stdout + failed.stderr).contains("still failing after"), "\(failed.stdout)\(failed.stderr)")
        #expect(try standin.split("edge-staging") == ["v1": 100], "traffic stays on v1")
        let status = try slipway.json("status", "--env", "staging", "--json") as? [[String: Any]]
        #expect(status?.first { $0["component"] as? String == "edge" }?["live_version"] as? String == "v1")
    }

    @Test func aDeploymentWhoseAnswerWasLostIsReadBackNotMadeTwice() throws {
        let (standin, _, slipway) = try worker()
        try standin.fault("POST", path: "/deployments", status: 502, apply: true)

        let deploy = try slipway("deploy-service", "edge", "--env", "staging", "--version", "v1", "--local")
        #expect(deploy.status == 0, "\(deploy.stdout)\(deploy.stderr)")
        #expect(deploy.stdout.contains("Cloudflare already has what POST"), "\(deploy.stdout)")
        #expect(try Self.deployments(standin) == [["v1": 100]], "reconciled from the platform, not deployed twice")
    }

    @Test func aCanaryWithoutAnalyticsPausesForAPersonAndAnAbortSendsEveryRequestBack() throws {
        let (standin, workspace, slipway) = try worker(settings: """
              retry_deadline: 2s
            strategy: canary
            monitoring_period: 2s
            canary: {steps: [50, 100], interval: 2s, threshold: 1, min_requests: 10}
            """)
        #expect(try slipway("deploy-service", "edge", "--env", "staging", "--version", "v1", "--local").status == 0)
        try release(workspace, "v2")
        try standin.fault("POST", path: "/graphql", status: 503, count: 100_000)

        let log = workspace.root.appendingPathComponent("canary.log")
        let process = try slipway.start(["deploy-service", "edge", "--env", "staging", "--version", "v2", "--local"], log: log)
        defer { if process.isRunning { process.terminate(); process.waitUntilExit() } }
        func canary() -> [String: Any] {
            ((try? slipway.json("canary", "status", "edge", "--env", "staging")) as? [String: Any]) ?? [:]
        }
        #expect(eventually(120) { canary()["phase"] as? String == "paused" }, "\(canary())")
        #expect((canary()["reason"] as? String ?? "").contains("canary requests in the interval"), "inconclusive: \(canary())")
        #expect(try standin.split("edge-staging") == ["v2": 50, "v1": 50], "paused, not rolled back or promoted by itself")

        let abort = try slipway("canary", "abort", "edge", "--env", "staging")
        #expect(abort.status == 0, "\(abort.stdout)\(abort.stderr)")
        process.waitUntilExit()
        #expect(process.terminationStatus == 1)
        #expect(try standin.split("edge-staging") == ["v1": 100], "every request back on v1")
        let output = (try? String(contentsOf: log, encoding: .utf8)) ?? ""
        #expect(output.contains("no figures from the Workers analytics"), "\(output)")
    }

    /// A Worker whose canary pauses at 50% for want of analytics, deploying v2 over v1.
    func pausedCanary(local: Bool, function: String = #function) throws -> (CloudflareStandin, SlipwayProcess, Process, URL) {
        let (standin, workspace, slipway) = try worker(settings: """
              retry_deadline: 2s
            strategy: canary
            monitoring_period: 2s
            canary: {steps: [50, 100], interval: 2s, threshold: 1, min_requests: 10}
            """, function: function)
        let mode = local ? ["--local"] : []
        #expect(try slipway.run(["deploy-service", "edge", "--env", "staging", "--version", "v1"] + mode).status == 0)
        try release(workspace, "v2")
        try standin.fault("POST", path: "/graphql", status: 503, count: 100_000)
        let log = workspace.root.appendingPathComponent("canary.log")
        let process = try slipway.start(["deploy-service", "edge", "--env", "staging", "--version", "v2"] + mode, log: log)
        #expect(eventually(120) { Self.canary(slipway)["phase"] as? String == "paused" }, "\(Self.canary(slipway))")
        #expect(try standin.split("edge-staging") == ["v2": 50, "v1": 50])
        return (standin, slipway, process, log)
    }

    static func canary(_ slipway: SlipwayProcess) -> [String: Any] {
        ((try? slipway.json("canary", "status", "edge", "--env", "staging")) as? [String: Any]) ?? [:]
    }

    /// Nothing lets another agent go on judging a cloud canary: the one that takes the run over
    /// deploys the stable version at 100% again and fails the run, saying why.
    @Test func aCanaryWhoseAgentDiedIsSentBackToTheStableVersionByTheNextAgent() throws {
        let (standin, slipway, process, log) = try pausedCanary(local: false)
        defer {
            if process.isRunning { process.terminate(); process.waitUntilExit() }
            let leftovers = slipway.stopAgentAndListLeftovers()
            #expect(leftovers.isEmpty, "processes left behind: \(leftovers)")
        }
        let agent = try #require((try slipway.json("agent", "status") as? [String: Any])?["pid"] as? Int)
        kill(Int32(agent), SIGKILL)
        // The deploy's command sees its agent gone and starts one, which takes the run over.
        process.waitUntilExit()
        let output = (try? String(contentsOf: log, encoding: .utf8)) ?? ""
        #expect(process.terminationStatus == 1, "\(output)")
        #expect(try standin.split("edge-staging") == ["v1": 100], "every request back on v1")
        #expect(Self.canary(slipway)["phase"] as? String == "rolled_back", "\(Self.canary(slipway))")
        #expect(output.contains("died during canary; every request is back on v1"), "\(output)")
        let status = try #require((try slipway.json("status", "--env", "staging") as? [[String: Any]])?.first)
        #expect(status["live_version"] as? String == "v1", "\(status)")
    }

    /// A `--local` deploy killed during its canary leaves the split on Cloudflare: the agent sees
    /// the canary's run gone and sends every request back through the target, not its own router.
    @Test func aCanaryLeftByAKilledLocalCommandIsSentBackByTheAgent() throws {
        let (standin, slipway, process, _) = try pausedCanary(local: true)
        defer {
            if process.isRunning { process.terminate(); process.waitUntilExit() }
            let leftovers = slipway.stopAgentAndListLeftovers()
            #expect(leftovers.isEmpty, "processes left behind: \(leftovers)")
        }
        kill(process.processIdentifier, SIGKILL)
        process.waitUntilExit()
        #expect(try standin.split("edge-staging") == ["v2": 50, "v1": 50], "nobody has acted yet")
        #expect(try slipway("agent", "start").status == 0)
        #expect(eventually(60) { (try? standin.split("edge-staging")) == ["v1": 100] }, "\((try? standin.split("edge-staging")) ?? [:])")
        #expect(eventually(30) { Self.canary(slipway)["phase"] as? String == "rolled_back" }, "\(Self.canary(slipway))")
    }
}

