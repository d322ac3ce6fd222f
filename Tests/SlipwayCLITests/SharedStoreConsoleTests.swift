import Foundation
import SlipwayCore
import SlipwayTestSupport
import Testing

/// Two consoles and a CI-style pipeline on one shared PostgreSQL store, as a team has them: both
/// consoles show the run live, and a killed connection (every backend of the database terminated
/// mid-run) costs no event and repeats none. A console hears of another process's append by the
/// store's notification, also after its listening connection was killed.
@Suite(.postgresCluster, .timeLimit(.minutes(10)))
struct SharedStoreConsoleTests {
    @Test func twoConsolesFollowAPipelineOnTheSharedStoreThroughKilledConnections() async throws {
        let (workspace, root) = try PipelineWorkspace.create()
        let cluster = try PostgresCluster.shared()
        let url = try await cluster.createDatabase()
        let database = PostgresCluster.databaseName(of: url)
        let slipway = SlipwayProcess(workspace)
        let shared = PipelineWorkspace.environment(workspace).merging([StoreURL.variable: url]) { $1 }
        try PipelineWorkspace.fault(workspace, "hold-web")
        let command = "\(StoreURL.variable)='\(url)' '\(SlipwayProcess.binary.path)' console"
        let consoles = try [
            TmuxConsole(command, width: 180, height: 45, directory: workspace.root),
            TmuxConsole(command, width: 180, height: 45, directory: workspace.root),
        ]
        defer { for console in consoles { console.stop() } }
        for console in consoles {
            #expect(console.waitFor("fleet", 30), "\(console.screen())")
            try console.press("2")
        }
        func row(_ words: String...) -> (String) -> Bool {
            { text in text.split(separator: "\n").contains { line in words.allSatisfy { line.contains($0) } } }
        }

        let pipeline = try slipway.start(
            ["pipeline", "--env", "staging", "--base", root, "--jobs", "2"], environment: shared,
            log: workspace.root.appendingPathComponent("pipeline.log"))
        defer {
            try? FileManager.default.removeItem(at: workspace.root.appendingPathComponent("state/hold-web"))
            _ = pipeline.waitUntilExit(within: 120)
        }
        for console in consoles {
            #expect(console.waitFor(30, row("pipeline", "staging", "running")), "\(console.screen())")
            #expect(console.waitFor(30, row("deploy", "web", "running")), "\(console.screen())")
        }

        // Every connection to the store goes at once: the pipeline's, the consoles', any agent's.
        try await cluster.execute(
            "SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = '\(database)' AND pid <> pg_backend_pid()")
        try FileManager.default.removeItem(at: workspace.root.appendingPathComponent("state/hold-web"))
        let hung = pipeline.waitUntilExit(within: 180)
        let log = (try? String(contentsOf: workspace.root.appendingPathComponent("pipeline.log"), encoding: .utf8)) ?? ""
        try #require(hung == nil, "the pipeline did not end within 180 s after the hold was lifted:\n\(log)\n\(hung ?? "")")
        #expect(pipeline.terminationStatus == 0, "\(log)")
        for console in consoles {
            #expect(console.waitFor(60, row("deploy", "web", "succeeded")), "\(console.screen())")
            // The pipeline is the oldest of its runs, below the screen's rows: found by the filter.
            try console.press("/")
            try console.type("pipeline")
            try console.press("Enter")
            #expect(console.waitFor(30, row("STAGES of", "pipeline", "succeeded")), "\(console.screen())")
            #expect(console.waitFor(30, row("validate-deploy", "succeeded")), "\(console.screen())")
        }

        let events = try slipway("events", "--json", "--limit", "100000", environment: shared)
        #expect(events.status == 0, "\(events.stderr)")
        let ids = events.stdout.split(separator: "\n").compactMap { line in
            (try? JSONSerialization.jsonObject(with: Data(line.utf8)) as? [String: Any])?["id"] as? Int
        }
        #expect(!ids.isEmpty)
        #expect(ids == Array(1...(ids.last ?? 0)), "every event once, in order")
        let finished = try slipway("events", "--json", "--limit", "100000", environment: shared).stdout
            .split(separator: "\n").filter { $0.contains("\"run.finished\"") && $0.contains("\"pipeline\"") }
        #expect(finished.count == 1, "the pipeline's end is recorded once")
    }

    @Test func aConsoleShowsAnotherProcesssAppendAsTheStoreTellsOfItThroughAKilledListener() async throws {
        let (workspace, _) = try PipelineWorkspace.create()
        let cluster = try PostgresCluster.shared()
        let base = try await cluster.createDatabase()
        let application = "console_\(PostgresCluster.databaseName(of: base).suffix(8))"
        let url = base + "&application_name=\(application)"
        let drawn = workspace.root.appendingPathComponent("drawn.jsonl")
        // No heartbeat within the test: what the console shows after its first load, the store told it of.
        let command = "\(StoreURL.variable)='\(url)' SLIPWAY_TEST_CONSOLE_HEARTBEAT=3600 SLIPWAY_BENCH_CONSOLE_DRAWN='\(drawn.path)' "
            + "'\(SlipwayProcess.binary.path)' console"
        let console = try TmuxConsole(command, width: 180, height: 45, directory: workspace.root)
        defer { console.stop() }
        #expect(console.waitFor("fleet", 30), "\(console.screen())")
        func row(_ words: String...) -> (String) -> Bool {
            { text in text.split(separator: "\n").contains { line in words.allSatisfy { line.contains($0) } } }
        }
        func listeners() async throws -> [String] {
            try await cluster.strings(
                "SELECT pid::text FROM pg_stat_activity WHERE application_name = '\(application)' AND query ILIKE 'listen%'",
                database: "postgres"
            ).compactMap { $0 }
        }
        func eventually(_ condition: () async throws -> Bool) async throws -> Bool {
            for _ in 0..<300 {
                if try await condition() { return true }
                try await Task.sleep(for: .milliseconds(100))
            }
            return false
        }
        // Another process's appends: this test's own handle on the store.
        let writer = try await PostgresStore.open(StoreURL(base, name: "test"))
        func deploy(_ version: String, run: String) -> [NewEvent] {
            [
                NewEvent(.runStarted, component: "web", environment: "staging", runID: run, details: EventDetails(runKind: .deploy, version: version)),
                NewEvent(.deploySucceeded, component: "web", environment: "staging", runID: run, details: EventDetails(version: version, color: "green")),
                NewEvent(.runFinished, component: "web", environment: "staging", runID: run,
                         details: EventDetails(runKind: .deploy, version: version, outcome: "succeeded")),
            ]
        }

        #expect(try await eventually { try await !listeners().isEmpty }, "the console listens")
        try writer.append(deploy("heard-1", run: "r1"))
        #expect(console.waitFor(30, row("web", "heard-1")), "\(console.screen())")

        let killed = try await listeners()
        try await cluster.execute("SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE pid IN (\(killed.joined(separator: ", ")))")
        try writer.append(deploy("heard-2", run: "r2"))
        #expect(console.waitFor(30, row("web", "heard-2")), "\(console.screen())")
        #expect(try await eventually { try await listeners().contains { !killed.contains($0) } }, "the console listens again")
        let last = try writer.append(deploy("heard-3", run: "r3")).last?.id
        #expect(console.waitFor(30, row("web", "heard-3")), "\(console.screen())")
        // The bench hook saw the frames too: newer events only, up to the last one.
        func drawnIDs() -> [Int64] {
            ((try? String(contentsOf: drawn, encoding: .utf8)) ?? "").split(separator: "\n").compactMap { line in
                ((try? JSONSerialization.jsonObject(with: Data(line.utf8)) as? [String: Any])?["id"] as? Int).map(Int64.init)
            }
        }
        #expect(try await eventually { drawnIDs().last == last }, "\(drawnIDs())")
        #expect(drawnIDs() == drawnIDs().sorted() && Set(drawnIDs()).count == drawnIDs().count, "\(drawnIDs())")
    }
}
