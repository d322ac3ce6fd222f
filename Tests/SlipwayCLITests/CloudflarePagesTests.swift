import Foundation
import SlipwayTestSupport
import Testing

/// The `cloudflare-pages` target against the Cloudflare stand-in (a stateful stand-in for the API,
/// not Cloudflare): a release is a deployment of the project tagged with Slipway's version, a
/// preview first and then production; an earlier one becomes production again through Pages'
/// rollback. Assertions read the stand-in's deployments and production deployment back.
@Suite struct CloudflarePagesTests {
    /// A stand-in with the Pages projects `site-staging` and `site`, and a workspace whose
    /// `apps/site` deploys to them (one project per environment); `settings` go into its slipway.yml.
    func site(settings: String = "", function: String = #function) throws -> (CloudflareStandin, TemporaryWorkspace, SlipwayProcess) {
        let standin = try CloudflareStandin()
        try standin.pagesProject("site-staging")
        try standin.pagesProject("site", productionBranch: "production")
        let workspace = try TemporaryWorkspace(files: [
            "apps/site/index.html": "<h1>v1</h1>\n",
            "apps/site/Makefile": """
                build:
                \tmkdir -p dist
                \tcp index.html dist/index.html
                \techo ok > dist/health
                \techo "built $(VERSION)" >> build.log

                """,
            "apps/site/slipway.yml": """
                target: cloudflare-pages
                cloudflare:
                  project: site
                environments:
                  staging:
                    url: \(standin.pagesProductionURL("site-staging"))
                    cloudflare: {project: site-staging}
                  production:
                    url: \(standin.pagesProductionURL("site"))
                \(settings)
                """,
            ".gitignore": ".slipway/\ndist/\nbuild.log\n",
        ], function: function)
        try workspace.commitAll("site")
        var slipway = SlipwayProcess(workspace)
        slipway.environment.merge(standin.environment) { _, new in new }
        return (standin, workspace, slipway)
    }

    func release(_ workspace: TemporaryWorkspace, _ version: String) throws {
        try workspace.write(["apps/site/index.html": "<h1>\(version)</h1>\n"])
        try workspace.commitAll(version)
    }

    /// Every deployment of `project`, oldest first, as `environment tag`, from the stand-in's state.
    static func deployments(_ standin: CloudflareStandin, _ project: String) throws -> [String] {
        try standin.pages(project).deployments.map { deployment in
            let metadata = (deployment["deployment_trigger"] as? [String: Any])?["metadata"] as? [String: Any]
            return "\(deployment["environment"] as? String ?? "?") \(metadata?["commit_hash"] as? String ?? "?")"
        }
    }

    /// The version tag of the deployment the stand-in serves as `project`'s production, and its index page.
    static func production(_ standin: CloudflareStandin, _ project: String) throws -> (tag: String?, index: String?) {
        let (deployments, production) = try standin.pages(project)
        let live = deployments.first { $0["id"] as? String == production }
        let metadata = (live?["deployment_trigger"] as? [String: Any])?["metadata"] as? [String: Any]
        return (metadata?["commit_hash"] as? String, (live?["files"] as? [String: String])?["/index.html"])
    }

    @Test func aReleaseIsAPreviewThenTheProductionDeploymentOfTheEnvironmentsProject() throws {
        let (standin, _, slipway) = try site()

        let staging = try slipway("deploy-app", "site", "--env", "staging", "--version", "v1", "--local")
        #expect(staging.status == 0, "\(staging.stdout)\(staging.stderr)")
        #expect(try Self.deployments(standin, "site-staging") == ["preview v1", "production v1"], "a preview first, then production")
        #expect(try Self.production(standin, "site-staging").tag == "v1")
        #expect(try Self.production(standin, "site-staging").index == "<h1>v1</h1>\n", "the build's output folder was uploaded")
        #expect(staging.stdout.contains("healthy: GET http://127.0.0.1:\(standin.port)/__standin/pages/site-staging/"),
                "the preview's own URL answered before production changed: \(staging.stdout)")
        #expect(try Self.deployments(standin, "site").isEmpty, "production's project untouched by a staging deploy")

        let production = try slipway("deploy-app", "site", "--env", "production", "--version", "v1", "--local")
        #expect(production.status == 0, "\(production.stdout)\(production.stderr)")
        #expect(try Self.production(standin, "site").tag == "v1")
        let branches = try standin.pages("site").deployments.compactMap {
            ((($0["deployment_trigger"] as? [String: Any])?["metadata"] as? [String: Any])?["branch"] as? String)
        }
        #expect(branches == ["preview", "production"], "production goes to the project's production branch")

        let health = try slipway.json("health-check-all", "--env", "production", "--json") as? [[String: Any]]
        #expect(health?.first { $0["component"] as? String == "site" }?["health"] as? String == "healthy", "\(health ?? [])")
        for output in [staging, production] {
            #expect(!(output.stdout + output.stderr).contains(standin.token), "the token is never shown")
        }
    }

    /// As wrangler: assets named by their hash (the stand-in refuses a deployment whose manifest
    /// names an asset by any other hash than BLAKE3 of its base64 and extension), each uploaded
    /// only when Pages' store lacks it.
    @Test func onlyAssetsThePagesStoreLacksAreUploaded() throws {
        let (standin, workspace, slipway) = try site()
        let v1 = try slipway("deploy-app", "site", "--env", "staging", "--version", "v1", "--local")
        #expect(v1.status == 0, "\(v1.stdout)\(v1.stderr)")
        #expect(try standin.uploadedAssets().count == 2, "index.html and health, once for the preview and production")
        #expect(v1.stdout.contains("uploaded 2 of 2 asset(s) of dist"), "\(v1.stdout)")
        #expect(v1.stdout.contains("uploaded 0 of 2 asset(s) of dist"), "production's deployment found both: \(v1.stdout)")
        let live = try #require(try standin.pages("site-staging").deployments.last)
        #expect((live["content_types"] as? [String: String]) == ["/index.html": "text/html", "/health": "application/octet-stream"])

        try release(workspace, "v2")
        let v2 = try slipway("deploy-app", "site", "--env", "staging", "--version", "v2", "--local")
        #expect(v2.status == 0, "\(v2.stdout)\(v2.stderr)")
        #expect(try standin.uploadedAssets().count == 3, "only the changed index.html")
        #expect(try Self.production(standin, "site-staging").index == "<h1>v2</h1>\n")
        let calls = try standin.log().compactMap { $0["path"] as? String }
        #expect(calls.filter { $0.hasSuffix("/upload-token") }.count == 4, "a token per deployment")
        #expect(calls.filter { $0.hasSuffix("/pages/assets/upsert-hashes") }.count == 4)
    }

    /// A rollback made in Pages itself (the dashboard, wrangler) is drift: `status --refresh`
    /// reads production back and says the platform serves another version than the store.
    @Test func aRollbackOutsideSlipwayShowsAsDriftOnRefresh() throws {
        let (standin, workspace, slipway) = try site()
        #expect(try slipway("deploy-app", "site", "--env", "staging", "--version", "v1", "--local").status == 0)
        try release(workspace, "v2")
        #expect(try slipway("deploy-app", "site", "--env", "staging", "--version", "v2", "--local").status == 0)
        let rows = { (arguments: [String]) throws -> [String: Any]? in
            (try slipway.json(arguments) as? [[String: Any]])?.first { $0["component"] as? String == "site" && $0["environment"] as? String == "staging" }
        }
        let agreed = try #require(try rows(["status", "--refresh", "--json"]))
        #expect(agreed["platform_version"] as? String == "v2" && agreed["drift"] as? Bool == false, "\(agreed)")

        let first = try #require(try standin.pages("site-staging").deployments.first {
            $0["environment"] as? String == "production"
                && ((($0["deployment_trigger"] as? [String: Any])?["metadata"] as? [String: Any])?["commit_hash"] as? String) == "v1"
        }?["id"] as? String)
        try standin.callAPI("POST", "/accounts/\(CloudflareStandin.account)/pages/projects/site-staging/deployments/\(first)/rollback")
        #expect(try Self.production(standin, "site-staging").tag == "v1")

        let stale = try #require(try rows(["status", "--json"]))
        #expect(stale["drift"] as? Bool == false && stale["live_version"] as? String == "v2", "without --refresh, the store's view: \(stale)")
        let drifted = try #require(try rows(["status", "--refresh", "--json"]))
        #expect(drifted["live_version"] as? String == "v2" && drifted["platform_version"] as? String == "v1", "\(drifted)")
        #expect(drifted["drift"] as? Bool == true)
        let table = try slipway("status", "--refresh", "--env", "staging").stdout
        #expect(table.contains("v2 (drift: the platform serves v1)"), "\(table)")
    }

    @Test func aRollbackMakesTheEarlierDeploymentProductionAgainWithNoUpload() throws {
        let (standin, workspace, slipway) = try site()
        #expect(try slipway("deploy-app", "site", "--env", "staging", "--version", "v1", "--local").status == 0)
        try release(workspace, "v2")
        let v2 = try slipway("deploy-app", "site", "--env", "staging", "--version", "v2", "--local")
        #expect(v2.status == 0, "\(v2.stdout)\(v2.stderr)")
        #expect(try Self.production(standin, "site-staging").tag == "v2")
        let before = try Self.deployments(standin, "site-staging")
        #expect(before == ["preview v1", "production v1", "preview v2", "production v2"])

        let rollback = try slipway("rollback", "site", "--env", "staging", "--local")
        #expect(rollback.status == 0, "\(rollback.stdout)\(rollback.stderr)")
        #expect(try Self.production(standin, "site-staging").tag == "v1", "the earlier deployment serves production again")
        #expect(try Self.production(standin, "site-staging").index == "<h1>v1</h1>\n")
        #expect(try Self.deployments(standin, "site-staging") == before, "no new deployment was uploaded")
        #expect(try workspace.read("apps/site/build.log") == "built v1\nbuilt v2\n", "nothing was built again")
        let rollbacks = try standin.log().filter { ($0["path"] as? String ?? "").hasSuffix("/rollback") }
        #expect(rollbacks.count == 1, "through Pages' rollback endpoint: \(rollbacks)")
        let status = try slipway.json("status", "--env", "staging", "--json") as? [[String: Any]]
        #expect(status?.first { $0["component"] as? String == "site" }?["live_version"] as? String == "v1")

        let forward = try slipway("deploy-app", "site", "--env", "staging", "--version", "v2", "--local")
        #expect(forward.status == 0, "\(forward.stdout)\(forward.stderr)")
        #expect(try Self.production(standin, "site-staging").tag == "v2", "a newer production deployment is a rollback target too")
        #expect(try Self.deployments(standin, "site-staging") == before)
    }
}

extension CloudflarePagesTests {
    @Test func aCanaryOnPagesIsAConfigErrorSayingWhy() throws {
        let (standin, _, slipway) = try site(settings: "strategy: canary\n")
        let refused = try slipway("deploy-app", "site", "--env", "staging", "--version", "v1", "--local")
        #expect(refused.status == 2)
        #expect(refused.stderr.contains("apps/site/slipway.yml:10:11: strategy canary cannot run on cloudflare-pages"), "\(refused.stderr)")
        #expect(refused.stderr.contains("one production deployment at a time"), "\(refused.stderr)")
        #expect(try Self.deployments(standin, "site-staging").isEmpty)
    }

    @Test func aPagesComponentWithoutAProjectIsAConfigErrorAtItsBlock() throws {
        let standin = try CloudflareStandin()
        let workspace = try TemporaryWorkspace(files: [
            "apps/site/Makefile": "build:\n\ttrue\n",
            "apps/site/slipway.yml": "target: cloudflare-pages\ncloudflare:\n  account_id: abc\n",
        ])
        try workspace.commitAll("site")
        var slipway = SlipwayProcess(workspace)
        slipway.environment.merge(standin.environment) { _, new in new }
        let refused = try slipway("deploy-app", "site", "--env", "staging", "--version", "v1", "--local")
        #expect(refused.status == 2)
        #expect(refused.stderr.contains("apps/site/slipway.yml:3:3: cloudflare-pages needs cloudflare.project"), "\(refused.stderr)")
    }

    @Test func aRefusedTokenLeavesProductionWhereItWasAndServerErrorsAreRetried() throws {
        let (standin, workspace, slipway) = try site()
        #expect(try slipway("deploy-app", "site", "--env", "staging", "--version", "v1", "--local").status == 0)
        try release(workspace, "v2")

        let wrong = "wrong-token-\(UUID().uuidString)"
        let refused = try slipway("deploy-app", "site", "--env", "staging", "--version", "v2", "--local",
                                  environment: ["CLOUDFLARE_API_TOKEN": wrong])
        #expect(refused.status == 1)
        let text = refused.stdout + refused.stderr
        #expect(text.contains("Cloudflare refused CLOUDFLARE_API_TOKEN (401"), "\(text)")
        #expect(!text.contains(wrong), "the token is masked")
        #expect(try Self.production(standin, "site-staging").tag == "v1")
        #expect(try Self.deployments(standin, "site-staging") == ["preview v1", "production v1"], "nothing uploaded")

        try standin.fault("POST", path: "/deployments", status: 502, count: 2)
        let retried = try slipway("deploy-app", "site", "--env", "staging", "--version", "v2", "--local")
        #expect(retried.status == 0, "\(retried.stdout)\(retried.stderr)")
        #expect(try Self.production(standin, "site-staging").tag == "v2")
        #expect(try Self.deployments(standin, "site-staging") == ["preview v1", "production v1", "preview v2", "production v2"],
                "retried, never made twice")
        let posts = try standin.log().filter { $0["method"] as? String == "POST" && ($0["path"] as? String ?? "").hasSuffix("/deployments") }
        #expect(posts.suffix(4).map { $0["status"] as? Int ?? 0 } == [502, 502, 200, 200], "\(posts)")
    }

    @Test func aPreviewThatNeverAnswersLeavesProductionWhereItWas() throws {
        let (standin, workspace, slipway) = try site(settings: "health: {attempts: 2, interval: 1s}\n")
        #expect(try slipway("deploy-app", "site", "--env", "staging", "--version", "v1", "--local").status == 0)
        try workspace.write(["apps/site/Makefile": "build:\n\trm -rf dist && mkdir dist\n\tcp index.html dist/index.html\n"])
        try release(workspace, "v2")

        let failed = try slipway("deploy-app", "site", "--env", "staging", "--version", "v2", "--local")
        #expect(failed.status == 1)
        #expect(failed.stdout.contains("never answered 2xx after 2 checks"), "\(failed.stdout)")
        #expect(try Self.production(standin, "site-staging").tag == "v1", "production untouched")
        #expect(try Self.deployments(standin, "site-staging") == ["preview v1", "production v1", "preview v2"])
    }

    @Test func aRollbackWhoseAnswerWasLostIsReadBackNotMadeAgain() throws {
        let (standin, workspace, slipway) = try site()
        #expect(try slipway("deploy-app", "site", "--env", "staging", "--version", "v1", "--local").status == 0)
        try release(workspace, "v2")
        #expect(try slipway("deploy-app", "site", "--env", "staging", "--version", "v2", "--local").status == 0)
        try standin.fault("POST", path: "/rollback", status: 502, apply: true)

        let rollback = try slipway("rollback", "site", "--env", "staging", "--local")
        #expect(rollback.status == 0, "\(rollback.stdout)\(rollback.stderr)")
        #expect(rollback.stdout.contains("Cloudflare already has what POST"), "\(rollback.stdout)")
        #expect(try Self.production(standin, "site-staging").tag == "v1")
        let rollbacks = try standin.log().filter { ($0["path"] as? String ?? "").hasSuffix("/rollback") }
        #expect(rollbacks.count == 1, "reconciled from the project read back, not sent again: \(rollbacks)")
    }
}
