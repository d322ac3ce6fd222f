import Foundation
import SlipwayCore
import SlipwayTestSupport
import Testing

@Suite struct WorkspaceDiscoveryTests {
    @Test func readsMetadataFromMakefilesAsMakeAssignsIt() throws {
        let workspace = try TemporaryWorkspace(files: [
            "apps/landing-page/Makefile": """
                APP_NAME := landing-page
                APP_TYPE ?= nodejs   # the technology
                DEPLOYMENT_TARGET = cloudflare-pages
                deploy:
                \techo deploying
                """,
            "services/accounts/Makefile": "APP_TYPE::=nodejs\nDEPLOYMENT_TARGET := cloudflare-worker # edge\ntest build: ; true\n",
        ])
        let loaded = try Workspace.load(at: workspace.root)
        let landing = try loaded.component(named: "apps/landing-page")
        #expect(landing.kind == .app)
        #expect(landing.path == "apps/landing-page")
        #expect(landing.technology == "nodejs")
        #expect(landing.target == "cloudflare-pages")
        #expect(landing.hasGoal("deploy"))
        let accounts = try loaded.component(named: "accounts")
        #expect(accounts.kind == .service)
        #expect(accounts.technology == "nodejs")
        #expect(accounts.target == "cloudflare-worker")
        #expect(accounts.hasGoal("test") && accounts.hasGoal("build") && !accounts.hasGoal("deploy"))
    }

    @Test func infersTechnologyAndTargetWithoutMakefiles() throws {
        let workspace = try TemporaryWorkspace(files: [
            "apps/web/package.json": "{}",
            "apps/web/wrangler.toml": "name = \"web\"\npages_build_output_dir = \"dist\"\n",
            "apps/worker/package.json": "{}",
            "apps/worker/wrangler.toml": "name = \"worker\"\n",
            "apps/qis/requirements.txt": "",
            "apps/qis/deploy/ecs-task-definition.json": "{}",
            "services/admin/Dockerfile": "FROM scratch",
            "services/api/pyproject.toml": "",
            "services/tool/Package.swift": "",
            "services/site/index.html": "",
        ])
        try workspace.makeFolder("services/empty")
        let loaded = try Workspace.load(at: workspace.root)
        let summary = Dictionary(uniqueKeysWithValues: loaded.components.map { ($0.name, "\($0.technology)/\($0.target)") })
        #expect(summary == [
            "web": "nodejs/cloudflare-pages", "worker": "nodejs/cloudflare-worker", "qis": "python/aws-ecs",
            "admin": "docker/unknown", "api": "python/unknown", "tool": "swift/unknown", "site": "static/unknown",
            "empty": "unknown/unknown",
        ])
        #expect(loaded.apps.map(\.name) == ["qis", "web", "worker"])
    }

    @Test func followsIncludesForGoals() throws {
        let workspace = try TemporaryWorkspace(files: [
            "deploy/local.mk": "deploy:\n\ttrue\nhealth-check:\n\ttrue\n",
            "apps/site/Makefile": "ROOT := ../..\ninclude $(ROOT)/deploy/local.mk\n",
        ])
        let site = try Workspace.load(at: workspace.root).component(named: "site")
        #expect(site.hasGoal("deploy") && site.hasGoal("health-check"))
    }

    /// The reader trims and splits without Foundation's string calls: continued lines, prefixes,
    /// tabs and Unicode spaces at the ends, escaped `#` and operators inside values as before.
    @Test func readsContinuedLinesPrefixesAndOddWhitespaceAsMakeDoes() throws {
        let workspace = try TemporaryWorkspace(files: [
            "deploy/shared.mk": "shared-goal:\n\ttrue\n",
            "apps/site/Makefile": """
                export  APP_TYPE :=\tnodejs\u{00A0}
                override DEPLOYMENT_TARGET ?= local # where it runs
                FLAGS := one \\
                two
                FLAGS += three
                NOTE = a \\# b == c
                ROOT = ../..
                \u{2003}include $(ROOT)/deploy/shared.mk
                build test: FLAGS
                .PHONY: build
                """,
        ])
        let site = try #require(try Workspace.load(at: workspace.root).component(named: "site").makefile)
        #expect(site.variables == [
            "APP_TYPE": "nodejs", "DEPLOYMENT_TARGET": "local", "FLAGS": "one  two three", "NOTE": "a \\# b == c", "ROOT": "../..",
        ])
        #expect(site.goals == ["build", "test", "shared-goal"])
    }

    /// A Makefile saved on Windows: make reads its lines without their carriage returns, and so
    /// does Slipway, exactly as it reads the same file with line feeds alone.
    @Test func readsAMakefileWithCRLFLineEndsAsWithLineFeeds() throws {
        let text = "APP_TYPE := nodejs\nDEPLOYMENT_TARGET = local\nFLAGS := one \\\ntwo\ndeploy:\n\ttrue\nbuild test:\n"
        let workspace = try TemporaryWorkspace(files: [
            "apps/unix/Makefile": text,
            "apps/windows/Makefile": text.replacingOccurrences(of: "\n", with: "\r\n"),
        ])
        let loaded = try Workspace.load(at: workspace.root)
        let windows = try #require(try loaded.component(named: "windows").makefile)
        #expect(windows == (try loaded.component(named: "unix").makefile))
        #expect(windows.variables["APP_TYPE"] == "nodejs" && windows.variables["DEPLOYMENT_TARGET"] == "local")
        #expect(windows.goals == ["deploy", "build", "test"])
    }

    @Test(arguments: ["Bad Name", "UPPER", "-dash", "a;rm"])
    func refusesBadComponentNames(name: String) throws {
        let workspace = try TemporaryWorkspace()
        try workspace.makeFolder("apps/\(name)")
        #expect(throws: SlipwayError.usage("apps/\(name): component name '\(name)' must match [a-z0-9][a-z0-9._-]*")) {
            try Workspace.load(at: workspace.root).checked()
        }
    }

    @Test func refusesTheSameNameUnderAppsAndServices() throws {
        let workspace = try TemporaryWorkspace()
        try workspace.makeFolder("apps/accounts")
        try workspace.makeFolder("services/accounts")
        let error = #expect(throws: SlipwayError.self) { try Workspace.load(at: workspace.root).checked() }
        #expect(error?.message.hasPrefix("services/accounts: component name 'accounts' is also used by apps/accounts") == true)
        #expect(error?.exitCode == 2)
    }

    @Test func locatesTheNearestWorkspaceUpward() throws {
        let workspace = try TemporaryWorkspace()
        try workspace.makeFolder("services/accounts/src/deep")
        let found = Workspace.locate(from: workspace.root.appendingPathComponent("services/accounts/src/deep"))
        // services/accounts holds no marker, so the search goes on to the root.
        #expect(found?.path == workspace.root.path)
    }

    @Test func unknownComponentListsThoseThatExist() throws {
        let workspace = try TemporaryWorkspace()
        try workspace.makeFolder("apps/web")
        try workspace.makeFolder("services/accounts")
        let loaded = try Workspace.load(at: workspace.root)
        #expect(throws: SlipwayError(.unknownComponent(
            "accounts", kind: .app, hint: .otherKind(name: "accounts", .service), known: ["web"]))) {
            try loaded.component(named: "accounts", kind: .app)
        }
        #expect(throws: SlipwayError(.unknownComponent(
            "apps/accounts", kind: nil, hint: .didYouMean("services/accounts"), known: ["web", "accounts"]))) {
            try loaded.component(named: "apps/accounts")
        }
        #expect(throws: SlipwayError(.unknownComponent("acounts", kind: nil, hint: .didYouMean("accounts"), known: ["web", "accounts"]))) {
            try loaded.component(named: "acounts")
        }
    }

    @Test func componentWithoutAWayToDeployIsRefusedWithWhatToAdd() throws {
        let workspace = try TemporaryWorkspace(files: ["apps/web/package.json": "{}"])
        let loaded = try Workspace.load(at: workspace.root)
        let error = #expect(throws: SlipwayError.self) {
            try DeployMethod.resolve(for: try loaded.component(named: "web"), in: loaded)
        }
        #expect(error?.exitCode == 2)
        #expect(error?.message.contains("add a Makefile with a 'deploy' goal") == true)
    }
}
