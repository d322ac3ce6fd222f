import Foundation
import SlipwayTestSupport
import Testing

@Suite struct WorkspaceCommandTests {
    /// "No canary" is an answer, in JSON as in text, not a failure.
    @Test func canaryStatusWithNoCanarySaysSo() throws {
        let workspace = try FakeCloudWorkspace.create()
        let slipway = SlipwayProcess(workspace)
        let status = try #require(try slipway.json("canary", "status", "accounts", "--env", "staging") as? [String: Any])
        #expect(status["message"] as? String == "no canary")
        #expect(status["canary"] is NSNull)
        #expect(try slipway("canary", "status", "accounts", "--env", "staging").stdout.contains("has had no canary in staging"))
    }

    /// A Makefile target can only switch: a canary there is a config error at its line, not a
    /// surprise at deploy time.
    @Test func aCanaryOnATargetThatCannotWeighTrafficIsAConfigError() throws {
        let workspace = try FakeCloudWorkspace.create()
        try workspace.write(["services/accounts/slipway.yml": "paths: [shared/]\nstrategy: canary\n"])
        let result = try SlipwayProcess(workspace)("deploy-service", "accounts", "--env", "staging")
        #expect(result.status == 2)
        #expect(result.stderr.contains("services/accounts/slipway.yml:2:11: strategy canary needs a target that moves traffic by weight"),
                "\(result.stderr)")
        #expect(try SlipwayProcess(workspace)("config", "check").status == 2)
    }

    /// One bad folder never stops commands about the others: it is a warning on every command, an
    /// error in `config check` and in any command that names it, and nothing in its name runs.
    @Test func aBadComponentFolderIsSetAsideAndTheRestWorks() throws {
        let workspace = try LocalServiceWorkspace.create()
        let slipway = SlipwayProcess(workspace)
        defer {
            let leftovers = slipway.stopAgentAndListLeftovers()
            #expect(leftovers.isEmpty, "processes left behind: \(leftovers)")
        }
        #expect(try slipway("deploy-service", "api", "--env", "production").status == 0)
        try LocalServiceWorkspace.newVersion(workspace, note: "two")
        #expect(try slipway("deploy-service", "api", "--env", "production").status == 0)
        try workspace.write([
            "services/sp ace/Makefile": "deploy:\n\ttrue\n",
            "services/$(touch x)/Makefile": "deploy:\n\ttrue\n",
            "services/web/slipway.yml": "target: local\nrun: exec python3 server.py\nport: 99999\n",
        ])
        try workspace.commitAll("bad folders")

        for arguments in [["status"], ["list-services"], ["runs"], ["changes", "--base", "HEAD~1"]] {
            let result = try slipway.run(arguments)
            #expect(result.status == 0, "\(arguments): \(result.stderr)")
            #expect(result.stderr.contains("warning: services/sp ace: component name 'sp ace' must match"), "\(arguments): \(result.stderr)")
            #expect(result.stderr.contains("warning: services/web/slipway.yml:3:7: port"), "\(arguments): \(result.stderr)")
        }
        #expect(try slipway("list-services").stdout.contains("api"))
        let switched = try slipway("switch", "api", "--env", "production")
        #expect(switched.status == 0, "the emergency switch works: \(switched.stderr)")

        // A command that names the bad folder fails with its error, said once: no warning beside it.
        for arguments in [["deploy-service", "web", "--env", "staging"], ["test-service", "web"], ["rollback", "web", "--env", "staging"]] {
            let named = try slipway.run(arguments)
            #expect(named.status == 2, "\(arguments): \(named.stderr)")
            #expect(named.stderr.contains("slipway: error: services/web/slipway.yml:3:7: port"), "\(arguments): \(named.stderr)")
            let aboutWeb = named.stderr.split(separator: "\n").filter { $0.contains("services/web/slipway.yml:3:7") }
            #expect(aboutWeb.count == 1, "\(arguments): \(named.stderr)")
            #expect(named.stderr.contains("warning: services/sp ace"), "the other folders are still warned about: \(named.stderr)")
        }
        let check = try slipway("config", "check")
        #expect(check.status == 2)
        #expect(check.stderr.contains("3 components cannot be loaded"), "\(check.stderr)")
        #expect(!FileManager.default.fileExists(atPath: workspace.root.appendingPathComponent("x").path), "nothing in a folder's name ran")
        #expect(!FileManager.default.fileExists(atPath: workspace.root.appendingPathComponent("services/api/x").path))
    }

    /// A damaged store is named, its SQLite message escaped, and `store check` exits 1 on it.
    @Test func aDamagedStoreIsSaidEscapedAndStoreCheckFails() throws {
        let workspace = try FakeCloudWorkspace.create()
        let slipway = SlipwayProcess(workspace)
        #expect(try slipway("store", "check").status == 1, "no store yet")
        #expect(try slipway("status").status == 0)
        let check = try slipway("store", "check")
        #expect(check.status == 0 && check.stdout.hasPrefix("store ok: "), "\(check.stdout)")
        // The schema's pages go from the (persistent) WAL into the main file, and are damaged there.
        let state = workspace.root.appendingPathComponent(".slipway/state.db")
        let checkpoint = Process()
        checkpoint.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        checkpoint.arguments = ["python3", "-c", "import sqlite3, sys; sqlite3.connect(sys.argv[1]).execute('PRAGMA wal_checkpoint(TRUNCATE)')", state.path]
        try checkpoint.run()
        checkpoint.waitUntilExit()
        var bytes = try Data(contentsOf: state)
        let name = try #require(bytes.range(of: Data("grdb_migrations".utf8)))
        bytes[name.lowerBound + 9] = 0xFF
        try bytes.write(to: state)
        let status = try slipway("status")
        #expect(status.status == 1)
        #expect(status.stderr.contains("/.slipway/state.db is damaged (SQLite error 11: malformed database schema (grdb_migr\\u{FFFD}tions)); "
            + "run 'slipway store check'"), "\(status.stderr)")
        let damaged = try slipway("store", "check")
        #expect(damaged.status == 1)
        #expect(damaged.stdout.contains("problem: ") && damaged.stderr.contains("has 1 problem"), "\(damaged.stdout)\(damaged.stderr)")
    }

    /// Another process holding the store's write lock: readers do not wait at all; a command that
    /// must write says who holds it and gives up after --lock-timeout, having changed nothing.
    @Test func aHeldWriteLockStopsOnlyWritersAndTheySayWhoHoldsIt() throws {
        let workspace = try FakeCloudWorkspace.create()
        let slipway = SlipwayProcess(workspace)
        #expect(try slipway("deploy-app", "web", "--env", "staging").status == 0)
        let holder = Process()
        holder.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        holder.arguments = ["python3", "-c", """
            import sqlite3, sys
            connection = sqlite3.connect(sys.argv[1], isolation_level=None)
            connection.execute("BEGIN IMMEDIATE")
            print("held", flush=True)
            sys.stdin.read()
            """, workspace.root.appendingPathComponent(".slipway/state.db").path]
        let input = Pipe(), output = Pipe()
        holder.standardInput = input
        holder.standardOutput = output
        try holder.run()
        defer {
            try? input.fileHandleForWriting.close()
            holder.waitUntilExit()
        }
        #expect(String(decoding: output.fileHandleForReading.availableData, as: UTF8.self).hasPrefix("held"))

        let status = try slipway("status", "--lock-timeout", "60s")
        #expect(status.status == 0 && status.stdout.contains("web"), "\(status.stderr)")
        #expect(!status.stderr.contains("waiting for the store"), "a reader waited: \(status.stderr)")
        let runsBefore = try slipway("runs").stdout

        let deploy = try slipway("deploy-app", "web", "--env", "production", "--local", "--lock-timeout", "2s")
        #expect(deploy.status == 1)
        #expect(deploy.stderr.contains("waiting for the store ") && deploy.stderr.contains("pid \(holder.processIdentifier) (python3) holds its write lock; giving up after 2s (--lock-timeout)"),
                "\(deploy.stderr)")
        #expect(deploy.stderr.contains("stayed locked by another process"), "\(deploy.stderr)")
        #expect(try slipway("runs").stdout == runsBefore, "nothing was half-done")

        try input.fileHandleForWriting.close()
        holder.waitUntilExit()
        #expect(try slipway("deploy-app", "web", "--env", "production", "--local").status == 0)
    }

    @Test func deployAllDeploysEveryComponentAndSkipsThoseAlreadyLive() throws {
        let workspace = try FakeCloudWorkspace.create()
        let slipway = SlipwayProcess(workspace)
        defer { #expect(slipway.stopAgentAndListLeftovers().isEmpty, "deploy-all goes through the agent: none is left behind") }
        let first = try slipway("deploy-all", "--env", "development")
        #expect(first.status == 0, "\(first.stderr)")
        #expect(first.stdout.contains("web | deploying web"))
        #expect(first.stdout.contains("accounts | deploying accounts"))
        #expect(first.stdout.contains("deploy-all: 2 deployed, 0 not"))
        let second = try slipway("deploy-all", "--env", "development")
        #expect(second.stdout.contains("is already live in development"))
        #expect(second.stdout.contains("deploy-all: 0 deployed, 0 not"))
    }

    /// The store keeps every event: `status --at` shows the fleet of a past moment.
    @Test func statusAtAPastMomentShowsTheFleetAsItWas() throws {
        let workspace = try FakeCloudWorkspace.create()
        let slipway = SlipwayProcess(workspace)
        #expect(try slipway("deploy-app", "web", "--env", "staging", "--version", "v1").status == 0)
        // Moments are written to the second: leave a second on both sides of the one asked about.
        Thread.sleep(forTimeInterval: 1.1)
        let between = Date()
        Thread.sleep(forTimeInterval: 1.1)
        #expect(try slipway("deploy-app", "web", "--env", "staging", "--version", "v2").status == 0)
        func liveVersion(_ arguments: String...) throws -> String? {
            let rows = try slipway.json(["status", "--env", "staging"] + arguments) as? [[String: Any]]
            return rows?.first { $0["component"] as? String == "web" }?["live_version"] as? String
        }
        #expect(try liveVersion() == "v2")
        #expect(try liveVersion("--at", between.formatted(.iso8601)) == "v1")
        #expect(try liveVersion("--at=-1h") == nil, "before anything was deployed")
        #expect(try liveVersion("--at", "1h ago") == nil)
        #expect(try liveVersion("--at=-0s") == "v2")
        let text = try slipway("status", "--at", between.formatted(.iso8601))
        #expect(text.stdout.hasPrefix("as of \(between.formatted(.iso8601))"), "\(text.stdout)")
        let bad = try slipway("status", "--at", "yesterday")
        #expect(bad.status == 2 && bad.stderr.contains("--at: 'yesterday' is not a moment"), "\(bad.stderr)")
    }

    @Test func deployAllTakesTheEnvironmentFromTheBranch() throws {
        let workspace = try FakeCloudWorkspace.create()
        let slipway = SlipwayProcess(workspace)
        defer { #expect(slipway.stopAgentAndListLeftovers().isEmpty, "deploy-all goes through the agent: none is left behind") }
        #expect(try slipway("deploy-all").stdout.contains("web | deploying web"), "main deploys to production")
        let status = try #require(try slipway.json("status", "--env", "production") as? [[String: Any]])
        #expect(status.allSatisfy { $0["live_version"] is String })
        try workspace.git("checkout", "-q", "-b", "feature/x")
        let feature = try slipway("deploy-all")
        #expect(feature.status == 2)
        #expect(feature.stderr.contains("branch 'feature/x' deploys nowhere"))
    }

    @Test func releaseTagsAreWrittenAsGitTagsWhenAsked() throws {
        let workspace = try FakeCloudWorkspace.create()
        try workspace.write(["slipway.yml": "tags: git\n"])
        try workspace.commitAll("tags")
        let version = try FakeCloudWorkspace.version(workspace, "apps/web")
        #expect(try SlipwayProcess(workspace)("deploy-app", "web", "--env", "staging").status == 0)
        #expect(try workspace.git("tag", "-l").contains("web/staging/\(version)"))
    }

    @Test func eventsFollowWritesJSONLinesAsEventsHappen() throws {
        let workspace = try FakeCloudWorkspace.create()
        let slipway = SlipwayProcess(workspace)
        #expect(try slipway("status").status == 0)
        let log = workspace.root.appendingPathComponent("follow.log")
        let follower = try slipway.start(["events", "--follow", "--json"], log: log)
        defer { follower.terminate(); follower.waitUntilExit() }
        #expect(try slipway("deploy-app", "web", "--env", "staging").status == 0)
        let seen = eventually {
            let lines = ((try? workspace.read("follow.log")) ?? "").split(separator: "\n")
            return lines.contains { $0.contains(#""kind":"deploy.succeeded""#) }
                && lines.allSatisfy { (try? JSONSerialization.jsonObject(with: Data($0.utf8))) != nil }
        }
        #expect(seen)
    }

    @Test func storeRebuildGivesTheIncrementalProjection() throws {
        let workspace = try FakeCloudWorkspace.create()
        let slipway = SlipwayProcess(workspace)
        defer { #expect(slipway.stopAgentAndListLeftovers().isEmpty, "deploy-all goes through the agent: none is left behind") }
        #expect(try slipway("deploy-all", "--env", "staging").status == 0)
        let before = try slipway("status", "--json").stdout
        let rebuild = try slipway("store", "rebuild")
        #expect(rebuild.status == 0)
        #expect(rebuild.stdout.contains("identical to the incremental projection"))
        #expect(try slipway("status", "--json").stdout == before)
    }

    @Test func theDemoDeploysTheSeedsFourComponentsEverywhere() throws {
        let workspace = try TemporaryWorkspace()
        let slipway = SlipwayProcess(workspace)
        defer {
            let leftovers = slipway.stopAgentAndListLeftovers(workspace: "demo")
            #expect(leftovers.isEmpty, "processes left behind: \(leftovers)")
        }
        let demo = try slipway("demo", "--dir", "demo", "--no-console")
        #expect(demo.status == 0, "\(demo.stderr)")
        let status = try #require(try slipway.json("status", "--workspace", "demo") as? [[String: Any]])
        #expect(Set(status.compactMap { $0["component"] as? String }) == ["landing-page", "qis-data-management", "accounts", "admin"])
        #expect(status.count == 12)
        #expect(status.allSatisfy { $0["live_version"] is String && $0["health"] as? String == "healthy" })
        for row in status {
            let url = try #require(row["url"] as? String)
            let page = httpGet(try #require(Int(url.split(separator: ":").last ?? "")))
            #expect(page?.body.contains("version \(row["live_version"] as? String ?? "?")") == true, "\(url): \(page?.body ?? "no answer")")
        }
        let runs = try #require(try slipway.json("runs", "--workspace", "demo") as? [[String: Any]])
        #expect(runs.filter { $0["state"] as? String == "failed" }.count == 2, "a refused deploy and a switch-back")
        let switchedBack = try slipway("events", "--workspace", "demo").stdout
        #expect(switchedBack.contains("switched back to blue"))
        #expect(try slipway("demo", "--dir", "demo", "--no-console").stdout.contains("reusing the demo"))
    }
}
