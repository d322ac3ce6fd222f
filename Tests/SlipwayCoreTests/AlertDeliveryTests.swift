import Foundation
import SlipwayCore
import SlipwayTestSupport
import Testing

/// The outbox drained to a real webhook receiver on a loopback port of its own: every alert
/// once per sink even with two agents draining at once, and nothing for a silenced alert (on
/// both stores).
@Suite(.postgresCluster, .timeLimit(.minutes(5))) struct AlertDeliveryTests {
    /// Answers each POST 200 and logs `path body`, one a line.
    static let receiver = """
        import http.server, os, sys, threading
        folder = sys.argv[1]
        lock = threading.Lock()
        class Handler(http.server.BaseHTTPRequestHandler):
            def do_POST(self):
                body = self.rfile.read(int(self.headers["Content-Length"]))
                with lock, open(os.path.join(folder, "received.log"), "ab") as log:
                    log.write(self.path.encode() + b" " + body.replace(b"\\n", b" ") + b"\\n")
                self.send_response(200)
                self.send_header("Content-Length", "0")
                self.end_headers()
            def log_message(self, *args):
                pass
        server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        server.daemon_threads = True
        with open(os.path.join(folder, "port.tmp"), "w") as f:
            f.write(str(server.server_address[1]))
        os.rename(os.path.join(folder, "port.tmp"), os.path.join(folder, "port"))
        server.serve_forever()
        """

    /// A workspace routing critical alerts to a PagerDuty-shaped and a Slack-shaped sink and
    /// every alert to a plain webhook, all on the receiver; and the receiver, running.
    static func start() throws -> (TemporaryWorkspace, Process) {
        let workspace = try TemporaryWorkspace(files: ["receiver/receiver.py": receiver, "apps/web/index.html": "web\n"])
        let folder = workspace.root.appendingPathComponent("receiver")
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        process.arguments = ["python3", folder.appendingPathComponent("receiver.py").path, folder.path]
        try process.run()
        let deadline = Date().addingTimeInterval(30)
        while !FileManager.default.fileExists(atPath: folder.appendingPathComponent("port").path), Date() < deadline { usleep(20_000) }
        let port = try workspace.read("receiver/port")
        try workspace.write(["slipway.yml": """
            alerts:
              sinks:
                pager: {type: pagerduty, url: "http://127.0.0.1:\(port)/pd", routing_key_env: PD_KEY}
                chat: {type: slack, url: "http://127.0.0.1:\(port)/slack"}
                board: {type: webhook, url: "http://127.0.0.1:\(port)/board"}
              routes:
                - {severity: critical, sinks: [pager, chat]}
                - {severity: [critical, warning, info], sinks: [board]}

            """])
        return (workspace, process)
    }

    static func stop(_ process: Process) {
        kill(process.processIdentifier, SIGKILL)
        process.waitUntilExit()
    }

    static func received(_ workspace: TemporaryWorkspace) -> [(path: String, body: [String: Any])] {
        ((try? workspace.read("receiver/received.log")) ?? "").split(separator: "\n").compactMap { line in
            guard let space = line.firstIndex(of: " "),
                  let body = try? JSONSerialization.jsonObject(with: Data(line[line.index(after: space)...].utf8)) as? [String: Any]
            else { return nil }
            return (String(line[..<space]), body)
        }
    }

    @Test(arguments: StoreKind.allCases)
    func twoAgentsDrainingAtOnceDeliverEveryAlertOncePerSinkInItsShape(kind: StoreKind) async throws {
        let (workspace, receiver) = try Self.start()
        defer { Self.stop(receiver) }
        let routing = try Workspace.load(at: workspace.root).config.alerts
        let (store, other) = try await kind.open(in: workspace)
        var ids: [String] = []
        for index in 0..<12 {
            let alert = Alert(severity: .page, change: "fired", component: "web", environment: "production",
                              objective: "availability", rule: "r\(index)", message: "web burning \(index)")
            ids.append(alert.id)
            try store.raise(alert, routing: routing)
        }
        // Two agents: two connections to the store, two owners, draining at the same moment.
        let first = AlertSinks(root: workspace.root, store: store, owner: "agent-a", environment: ["PD_KEY": "R0UT1NG"])
        let second = AlertSinks(root: workspace.root, store: other, owner: "agent-b", environment: ["PD_KEY": "R0UT1NG"])
        let now = Date()
        async let drainedByFirst: Void = first.drain(now: now)
        async let drainedBySecond: Void = second.drain(now: now)
        _ = await (drainedByFirst, drainedBySecond)
        let counts = try store.outboxCounts()
        #expect(counts.delivered == 36 && counts.pending == 0, "\(counts)")
        let received = Self.received(workspace)
        #expect(received.count == 36, "\(received.map(\.path))")
        let board = received.filter { $0.path == "/board" }.compactMap { $0.body["id"] as? String }
        #expect(board.sorted() == ids.sorted(), "each alert once on the webhook, as its own JSON")
        let pager = received.filter { $0.path == "/pd" }.map(\.body)
        #expect(pager.count == 12 && pager.allSatisfy { $0["routing_key"] as? String == "R0UT1NG" && $0["event_action"] as? String == "trigger" })
        #expect(Set(pager.compactMap { $0["dedup_key"] as? String }).count == 12)
        let chat = received.filter { $0.path == "/slack" }.compactMap { $0.body["text"] as? String }
        #expect(Set(chat).count == 12 && chat.allSatisfy { $0.hasPrefix("[CRITICAL] fired: web burning") })
    }

    @Test(arguments: StoreKind.allCases)
    func aSilencedAlertIsRecordedButDeliveredNowhereUntilTheSilenceEnds(kind: StoreKind) async throws {
        let (workspace, receiver) = try Self.start()
        defer { Self.stop(receiver) }
        let routing = try Workspace.load(at: workspace.root).config.alerts
        let store = try await kind.open(in: workspace).store
        let now = Date()
        let silence = AlertSilence(
            severity: .page, component: nil, environment: "production", startsAt: now, endsAt: now + 3600,
            reason: "maintenance window", actor: "tester")
        try store.silence(silence)
        #expect(try store.silences(at: now + 1).map(\.id) == [silence.id])
        #expect(try store.silences(at: now + 3601).isEmpty)
        try store.raise(Alert(severity: .page, change: "fired", component: "web", environment: "production", message: "silenced", time: now + 1), routing: routing)
        try store.raise(Alert(severity: .page, change: "fired", component: "web", environment: "staging", message: "staging", time: now + 1), routing: routing)
        try store.raise(Alert(severity: .info, change: "fired", component: "web", environment: "production", message: "info", time: now + 1), routing: routing)
        try store.raise(Alert(severity: .page, change: "fired", component: "web", environment: "production", message: "after", time: now + 3601), routing: routing)
        await AlertSinks(root: workspace.root, store: store, owner: "agent-a", environment: ["PD_KEY": "k"]).drain(now: now + 3602)
        let messages = Self.received(workspace).filter { $0.path == "/board" }.compactMap { $0.body["message"] as? String }
        #expect(messages.sorted() == ["after", "info", "staging"], "\(messages)")
        let events = try store.events()
        let silenced = try #require(events.first { $0.kind == "alert.silenced" })
        #expect(silenced.details?.reason == "maintenance window" && silenced.details?.tag == silence.id && silenced.environment == "production")
        let raised = events.filter { $0.kind == "alert.raised" }
        #expect(raised.count == 4, "a silenced alert is still recorded")
        #expect(raised.first { $0.details?.reason == "silenced" }?.details?.tag == silence.id)
    }

    /// A sink that cannot be reached leaves the alert in the outbox for another attempt, with what
    /// went wrong on one line naming the sink's URL (read from the store's own table).
    /// A command sink gets the alert on its standard input; one that fails, or outlives
    /// `alerts.timeout` (then it is stopped, not left behind), keeps the alert pending with why.
    @Test func aCommandSinkThatFailsOrHangsKeepsTheAlertPendingAndIsStopped() async throws {
        let workspace = try TemporaryWorkspace(files: [
            "apps/web/index.html": "web\n",
            "slipway.yml": """
                alerts:
                  timeout: 1s
                  sinks:
                    log: {type: command, command: "cat >> delivered.log"}
                    broken: {type: command, command: "cat > /dev/null; exit 3"}
                    stuck: {type: command, command: "echo $$ > stuck.pid; exec sleep 600"}
                  routes:
                    - {severity: info, sinks: [log, broken, stuck]}

                """,
        ])
        let routing = try Workspace.load(at: workspace.root).config.alerts
        let store = try SQLiteStore(path: workspace.statePath, actor: "tester")
        try store.raise(Alert(severity: .info, change: "fired", component: "web", environment: "production", message: "disk 91%"), routing: routing)
        await AlertSinks(root: workspace.root, store: store, owner: "agent-a", environment: [:]).drain(now: Date())

        #expect(try workspace.read("delivered.log").contains("disk 91%"), "the alert reached the command on its standard input")
        let counts = try store.outboxCounts()
        #expect(counts.delivered == 1 && counts.pending == 2, "\(counts)")
        let read = try workspace.run("/usr/bin/env", ["python3", "-c", """
            import sqlite3, sys
            for row in sqlite3.connect(sys.argv[1]).execute("SELECT last_error FROM alert_outbox WHERE last_error IS NOT NULL ORDER BY last_error"):
                print(row[0])
            """, workspace.statePath.path])
        #expect(read.output == """
            cat > /dev/null; exit 3 exited 3
            echo $$ > stuck.pid; exec sleep 600: still running after 1s, stopped

            """, "\(read.output)")
        let pid = try #require(Int32(try workspace.read("stuck.pid").trimmingCharacters(in: .whitespacesAndNewlines)))
        #expect(kill(pid, 0) != 0, "the hanging command was stopped, and reaped, before the drain returned")
    }

    @Test func anUnreachableSinkKeepsTheAlertPendingWithTheReason() async throws {
        let (workspace, receiver) = try Self.start()
        Self.stop(receiver)
        let routing = try Workspace.load(at: workspace.root).config.alerts
        let store = try SQLiteStore(path: workspace.statePath, actor: "tester")
        try store.raise(Alert(severity: .info, change: "fired", component: "web", environment: "production", message: "lost?"), routing: routing)
        await AlertSinks(root: workspace.root, store: store, owner: "agent-a", environment: [:]).drain(now: Date())
        let counts = try store.outboxCounts()
        #expect(counts.delivered == 0 && counts.pending == 1, "\(counts)")
        let read = try workspace.run("/usr/bin/env", ["python3", "-c", """
            import sqlite3, sys
            print(sqlite3.connect(sys.argv[1]).execute("SELECT attempts, last_error FROM alert_outbox").fetchone())
            """, workspace.statePath.path])
        let port = try workspace.read("receiver/port")
        #expect(read.output.hasPrefix("(1, 'POST http://127.0.0.1:\(port)/board: "), "\(read.output)")
        #expect(read.output.contains("refused") && read.output.split(separator: "\n").count == 1, "\(read.output)")
    }
}
