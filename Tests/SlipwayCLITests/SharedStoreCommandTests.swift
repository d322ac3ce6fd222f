import Foundation
import SlipwayCore
import SlipwayTestSupport
import Testing

/// The CLI on a shared PostgreSQL store, as a team runs it: `store migrate`, `events` (and
/// `--follow` across a killed connection, the appends coming from another process), `store
/// check`, and every other command refused in one line.
@Suite(.postgresCluster, .timeLimit(.minutes(5)))
struct SharedStoreCommandTests {
    static let password = "pw-team-s3cret"

    /// The test database's URL with a password (the cluster trusts local logins, so it is not
    /// checked: it is there to be masked).
    static func urlWithPassword(_ url: String) -> String {
        url.replacingOccurrences(of: "postgres://postgres@", with: "postgres://postgres:\(password)@")
    }

    static func deploy(_ component: String, _ version: String, run: String) -> [NewEvent] {
        [
            NewEvent(.runStarted, component: component, environment: "staging", runID: run, details: EventDetails(runKind: .deploy, version: version)),
            NewEvent(.deploySucceeded, component: component, environment: "staging", runID: run, details: EventDetails(version: version, color: "green")),
            NewEvent(.runFinished, component: component, environment: "staging", runID: run,
                     details: EventDetails(runKind: .deploy, version: version, outcome: "succeeded")),
        ]
    }

    @Test func migrateCopiesTheHistoryAndOnlyEventsAndStoreCheckWorkOnIt() async throws {
        let workspace = try TemporaryWorkspace(files: ["slipway.yml": "environments:\n  staging: {}\n"])
        let slipway = SlipwayProcess(workspace)
        let local = try SQLiteStore(path: workspace.statePath, actor: "erin")
        try local.append(Self.deploy("api", "v1", run: "r1"))
        try local.append(Self.deploy("web", "w1", run: "r2"))
        let url = Self.urlWithPassword(try await PostgresCluster.shared().createDatabase())

        let migrated = try slipway("store", "migrate", "--to", url)
        #expect(migrated.status == 0, "\(migrated.stderr)")
        #expect(migrated.stdout.contains("copied 6 events from \(workspace.statePath.path) into postgres://postgres:****@/"))
        #expect(migrated.stdout.contains("the projection stored from them equals the embedded store's (2 component states)"))
        #expect(!(migrated.stdout + migrated.stderr).contains(Self.password))

        let again = try slipway("store", "migrate", "--to", url)
        #expect(again.status == 2)
        #expect(again.stderr.contains("already holds 6 events: migrate only into a store with none"))
        #expect(!again.stderr.contains(Self.password))
        #expect(again.stderr.split(separator: "\n").count == 1)

        let shared = [StoreURL.variable: url]
        let events = try slipway("events", "--json", environment: shared)
        #expect(events.status == 0, "\(events.stderr)")
        let lines = events.stdout.split(separator: "\n").compactMap { line in
            try? JSONSerialization.jsonObject(with: Data(line.utf8)) as? [String: Any]
        }
        #expect(lines.compactMap { $0["id"] as? Int } == [1, 2, 3, 4, 5, 6])
        #expect(lines.allSatisfy { $0["actor"] as? String == "erin" })
        let expected = try local.events(after: 0, limit: 10).map { TimeText.rfc3339($0.time) }
        #expect(lines.compactMap { $0["time"] as? String } == expected)

        let check = try slipway("store", "check", environment: shared)
        #expect(check.status == 0, "\(check.stderr)")
        #expect(check.stdout.contains("store ok: postgres://postgres:****@/"))
        #expect(check.stdout.contains("6 events, schema current, 2 component states folded from them equal the stored projection"))

        // What works on the embedded store's files alone is refused in one line.
        for command in [["store", "rebuild", "--from-agent"], ["backup", "list"]] {
            let refused = try slipway.run(command, environment: shared)
            #expect(refused.status == 2, "\(command)")
            #expect(refused.stderr.contains("this command works on the embedded store's files, and the store chosen is postgres://postgres:****@/"), "\(command): \(refused.stderr)")
            #expect(!refused.stderr.contains(Self.password))
        }
        // The engine runs on the shared store: status shows the migrated history.
        let status = try slipway("status", "--json", environment: shared)
        #expect(status.status == 0, "\(status.stderr)")
        #expect(!(status.stdout + status.stderr).contains(Self.password))
    }

    /// A deploy on the shared store goes through the workspace's agent, which finds the same
    /// store (no embedded file anywhere), and its run, output and events are the team's to read.
    @Test func aDeployThroughTheAgentRunsOnTheSharedStore() async throws {
        let workspace = try FakeCloudWorkspace.create()
        let slipway = SlipwayProcess(workspace)
        let url = Self.urlWithPassword(try await PostgresCluster.shared().createDatabase())
        let shared = [StoreURL.variable: url]
        defer { _ = try? slipway("agent", "stop", environment: shared) }
        let version = try FakeCloudWorkspace.version(workspace, "services/accounts")
        let deployed = try slipway("deploy-service", "services/accounts", "--env", "staging", environment: shared)
        #expect(deployed.status == 0, "\(deployed.stderr)")
        #expect(deployed.stdout.contains("deploying accounts \(version) to staging content=accounts-1"))
        let agent = try slipway("agent", "status", environment: shared)
        #expect(agent.stdout.hasPrefix("agent: pid "), "\(agent.stdout)\(agent.stderr)")

        let listed = try slipway("runs", "--json", environment: shared)
        #expect(listed.status == 0, "\(listed.stderr)")
        let runs = try #require(try JSONSerialization.jsonObject(with: Data(listed.stdout.utf8)) as? [[String: Any]])
        let run = try #require(runs.first)
        #expect(run["state"] as? String == "succeeded")
        #expect(run["actor"] as? String == "postgres", "the database login")
        let shown = try slipway("runs", "show", run["id"] as! String, environment: shared)
        #expect(shown.stdout.contains("deploying accounts \(version) to staging"), "\(shown.stdout)")
        let status = try slipway("status", environment: shared)
        #expect(status.stdout.split(separator: "\n").contains { $0.contains("accounts") && $0.contains("staging") && $0.contains(version) }, "\(status.stdout)")
        #expect(!(deployed.stdout + deployed.stderr + status.stdout).contains(Self.password))
        #expect(!FileManager.default.fileExists(atPath: workspace.statePath.path), "no embedded store was made")
    }

    /// `store rebuild` on PostgreSQL, by the binary: on appends through the store it finds the
    /// incremental projection equal; on a stored projection changed behind its back (by the
    /// superuser, as a test hook) `store check` fails and the rebuild says so and mends it.
    @Test func storeRebuildOnPostgresEqualsTheIncrementalProjectionAndMendsACorruptedOne() async throws {
        let workspace = try TemporaryWorkspace(files: ["slipway.yml": "environments:\n  staging: {}\n"])
        let slipway = SlipwayProcess(workspace)
        let cluster = try PostgresCluster.shared()
        let url = try await cluster.createDatabase()
        let database = PostgresCluster.databaseName(of: url)
        let store = try await PostgresEventStore.open(StoreURL(url, name: "test"))
        try await store.append(Self.deploy("api", "v1", run: "r1"))
        // More than 32 events: an append by COPY.
        try await store.append((2..<20).flatMap { Self.deploy($0 % 2 == 0 ? "api" : "web", "v\($0)", run: "r\($0)") })
        try await store.append([NewEvent(.runStarted, component: "web", environment: "staging", runID: "r20", details: EventDetails(runKind: .deploy, version: "v20"))])
        let incremental = try await store.projection()
        let shared = [StoreURL.variable: Self.urlWithPassword(url)]

        let same = try slipway("store", "rebuild", environment: shared)
        #expect(same.status == 0, "\(same.stderr)")
        #expect(same.stdout == "rebuilt 2 component states from 58 events; identical to the incremental projection\n")
        #expect(try await store.projection() == incremental)
        #expect(incremental == (try await store.foldEvents()))

        try await cluster.execute(
            "UPDATE slipway.deployment_state SET state = replace(state, '\"liveVersion\":\"v18\"', '\"liveVersion\":\"v1\"') WHERE component = 'api'",
            database: database)
        #expect(try await store.projection() != incremental)
        let check = try slipway("store", "check", environment: shared)
        #expect(check.status == 1)
        #expect(check.stderr.contains("the stored projection of postgres://postgres:****@/\(database)"))
        #expect(check.stderr.contains("differs from its 58 events folded again: run 'slipway store rebuild'"))

        let mended = try slipway("store", "rebuild", environment: shared)
        #expect(mended.status == 0, "\(mended.stderr)")
        #expect(mended.stdout == "rebuilt 2 component states from 58 events; the incremental projection differed and was replaced\n")
        #expect(!(mended.stdout + mended.stderr).contains(Self.password))
        #expect(try await store.projection() == incremental)
        #expect(try slipway("store", "check", environment: shared).status == 0)
    }

    @Test func aStoreInSlipwayYmlThatIsNoPostgresURLIsAConfigError() throws {
        let workspace = try TemporaryWorkspace(files: ["slipway.yml": "environments:\n  staging: {}\nstore: \"https://team:\(Self.password)@db/x\"\n"])
        let result = try SlipwayProcess(workspace)("events")
        #expect(result.status == 2)
        #expect(result.stderr.contains("slipway.yml:3:8: the connection string of store is not a postgres:// URL"))
        #expect(!result.stderr.contains(Self.password))
    }

    @Test func eventsFollowOnPostgresSurvivesAKilledConnection() async throws {
        let cluster = try PostgresCluster.shared()
        let url = try await cluster.createDatabase()
        let application = "cli_follower_\(PostgresCluster.databaseName(of: url).suffix(8))"
        let workspace = try TemporaryWorkspace(files: ["slipway.yml": "environments:\n  staging: {}\n"])
        let slipway = SlipwayProcess(workspace)
        let appender = try await PostgresEventStore.open(StoreURL(url, name: "test"))
        let log = workspace.root.appendingPathComponent("follow.log")
        let follower = try slipway.start(
            ["events", "--follow", "--json", "--limit", "1000"],
            environment: [StoreURL.variable: url + "&application_name=\(application)"], log: log)
        defer {
            follower.terminate()
            follower.waitUntilExit()
        }
        func printedIDs() -> [Int] {
            let text = (try? String(contentsOf: log, encoding: .utf8)) ?? ""
            return text.split(separator: "\n").filter { $0.hasPrefix("{") }.compactMap { line in
                (try? JSONSerialization.jsonObject(with: Data(line.utf8)) as? [String: Any])?["id"] as? Int
            }
        }
        func waitUntil(_ seconds: Double = 30, _ condition: () async throws -> Bool) async throws -> Bool {
            let deadline = Date().addingTimeInterval(seconds)
            while Date() < deadline {
                if try await condition() { return true }
                try await Task.sleep(for: .milliseconds(20))
            }
            return try await condition()
        }
        let listening = try await waitUntil {
            try await !cluster.strings("SELECT pid::text FROM pg_stat_activity WHERE application_name = '\(application)'", database: "postgres").isEmpty
        }
        #expect(listening, "the follower never connected: \((try? String(contentsOf: log, encoding: .utf8)) ?? "")")

        for index in 0..<60 {
            try await appender.append([NewEvent(.releaseTagged, component: "api", environment: "staging", details: EventDetails(version: "v\(index)"))])
            if index == 20 || index == 40 {
                // After the first kill the follower polls and connects again on its own time: end
                // a connection of it once it has one, rather than racing its reconnect.
                var ended: [String?] = []
                _ = try await waitUntil {
                    ended = try await cluster.strings(
                        "SELECT pg_terminate_backend(pid)::text FROM pg_stat_activity WHERE application_name = '\(application)'",
                        database: "postgres")
                    return !ended.isEmpty
                }
                #expect(!ended.isEmpty, "no backend of the follower to end at event \(index + 1)")
            }
            try await Task.sleep(for: .milliseconds(20))
        }
        let all = try await waitUntil(60) { printedIDs().count >= 60 }
        #expect(all, "printed: \(printedIDs())")
        try await Task.sleep(for: .milliseconds(500))
        #expect(printedIDs() == Array(1...60))
        let said = (try? String(contentsOf: log, encoding: .utf8)) ?? ""
        #expect(said.contains("lost the store's listening connection"))
        #expect(said.contains("listening to the store at postgres://postgres@/"))

        // One change at a time from this process, each waited for generously; the figures are
        // printed for bench/README.md, not asserted.
        var latencies: [Double] = []
        for index in 0..<20 {
            let start = Date()
            let event = try await appender.append(NewEvent(.releaseTagged, component: "api", environment: "staging", details: EventDetails(version: "late\(index)")))
            let shown = try await waitUntil(20) { printedIDs().last == Int(event.id) }
            #expect(shown, "event \(event.id) not shown within 20 s")
            latencies.append(Date().timeIntervalSince(start) * 1000)
        }
        let sorted = latencies.sorted()
        print("events --follow on PostgreSQL, append to printed (ms, 20 changes, 20 ms check interval): "
            + "p50 \(Int(sorted[sorted.count / 2])), max \(Int(sorted.last ?? 0))")
    }

    @Test func eventsFollowOnPostgresEndsInOneLineWhenTheLoginMayNoLongerRead() async throws {
        let cluster = try PostgresCluster.shared()
        let url = try await cluster.createDatabase()
        let database = PostgresCluster.databaseName(of: url)
        let appender = try await PostgresEventStore.open(StoreURL(url, name: "test"))
        let role = try await cluster.createEventReader(of: database)
        let workspace = try TemporaryWorkspace(files: ["slipway.yml": "environments:\n  staging: {}\n"])
        let log = workspace.root.appendingPathComponent("follow.log")
        let viewerURL = url.replacingOccurrences(of: "postgres://postgres@", with: "postgres://\(role)@")
        let follower = try SlipwayProcess(workspace).start(
            ["events", "--follow", "--json"], environment: [StoreURL.variable: viewerURL], log: log)
        defer {
            if follower.isRunning { follower.terminate() }
            follower.waitUntilExit()
        }
        func said() -> [Substring] { ((try? String(contentsOf: log, encoding: .utf8)) ?? "").split(separator: "\n") }
        func waitUntil(_ seconds: Double, _ condition: () -> Bool) async throws -> Bool {
            let deadline = Date().addingTimeInterval(seconds)
            while Date() < deadline, !condition() { try await Task.sleep(for: .milliseconds(50)) }
            return condition()
        }
        try await appender.append(Self.deploy("api", "v1", run: "r1"))
        let printed = try await waitUntil(30) { said().filter { $0.hasPrefix("{") }.count == 3 }
        #expect(printed, "\(said())")
        // Its rights go while it listens (a refusal before it listens is EventLogTests' case).
        var listening = false
        for _ in 0..<300 where !listening {
            listening = try await !cluster.strings(
                "SELECT pid::text FROM pg_stat_activity WHERE datname = '\(database)' AND usename = '\(role)' AND query LIKE 'LISTEN%'",
                database: "postgres").isEmpty
            if !listening { try await Task.sleep(for: .milliseconds(100)) }
        }
        #expect(listening, "the follower never listened")

        try await cluster.execute("REVOKE SELECT ON slipway.events FROM \(role)", database: database)
        try await appender.append(Self.deploy("api", "v2", run: "r2"))
        let ended = try await waitUntil(60) { !follower.isRunning }
        #expect(ended, "the follower still runs: \(said())")
        guard ended else { return }
        #expect(follower.terminationStatus == 1)
        let lines = said().filter { !$0.hasPrefix("{") }
        #expect(lines.count == 1, "\(lines)")
        #expect(lines.first?.contains("stopped following the store: store postgres://\(role)@/") == true, "\(lines)")
        #expect(lines.first?.contains("permission denied for table events (SQLSTATE 42501)") == true, "\(lines)")
        #expect(said().filter { $0.hasPrefix("{") }.count == 3)
    }
}
