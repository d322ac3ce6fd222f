import Foundation
import SlipwayCore
import SlipwayTestSupport
import Testing

/// Alerts raised from stored SLI minutes, delivered through the store's outbox by the agent.
@Suite(.serialized) struct AlertTests {
    /// A webhook sink: answers each POST 200 and logs its body, one a line; while the file `HANG`
    /// exists it takes the request and never answers.
    static let sink = """
        import http.server, os, sys, time
        folder = sys.argv[1]
        class Handler(http.server.BaseHTTPRequestHandler):
            def do_POST(self):
                body = self.rfile.read(int(self.headers["Content-Length"]))
                if os.path.exists(os.path.join(folder, "HANG")):
                    time.sleep(600)
                    return
                with open(os.path.join(folder, "webhook.log"), "ab") as log:
                    log.write(body.replace(b"\\n", b" ") + b"\\n")
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

    /// Stores an hour of minutes for api in `environment` with 10% of requests failed: every
    /// burn-rate rule fires (burn 20) and the availability budget is spent.
    static func seedBurningHour(_ workspace: TemporaryWorkspace, environment: String) throws {
        let store = try SQLiteStore(path: workspace.statePath, actor: "tester")
        let now = SLIMinute.number(of: Date())
        try store.add(((now - 60)..<now).map {
            .init(component: "api", environment: environment, objective: "availability",
                  minute: SLIMinute(minute: $0, total: 1000, bad: 100))
        })
    }

    static func alertIDs(_ lines: String) -> [String] {
        lines.split(separator: "\n").compactMap { line in
            (try? JSONSerialization.jsonObject(with: Data(line.utf8)) as? [String: Any])?["id"] as? String
        }
    }

    @Test func aWebhookThatNeverAnswersHoldsUpNoDeployAndGetsEachAlertOnceWhenBack() throws {
        let workspace = try CanaryServiceWorkspace.create(canary: "  interval: 1s", monitoringPeriod: "1s")
        let sinkFolder = workspace.root.appendingPathComponent("sink")
        try workspace.write(["sink/sink.py": Self.sink, "sink/HANG": "on purpose\n"])
        let sink = Process()
        sink.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        sink.arguments = ["python3", sinkFolder.appendingPathComponent("sink.py").path, sinkFolder.path]
        try sink.run()
        var slipway = SlipwayProcess(workspace)
        slipway.environment["SLIPWAY_SLI_INTERVAL"] = "0.5"
        defer {
            // SIGKILL: the test runner may leave SIGTERM ignored in its children.
            kill(sink.processIdentifier, SIGKILL)
            sink.waitUntilExit()
            var leftovers = slipway.stopAgentAndListLeftovers()
            _ = eventually(5) {
                leftovers = slipway.stopAgentAndListLeftovers()
                return leftovers.isEmpty
            }
            #expect(leftovers.isEmpty, "processes left behind: \(leftovers)")
        }
        #expect(eventually(20) { FileManager.default.fileExists(atPath: sinkFolder.appendingPathComponent("port").path) })
        let sinkPort = try workspace.read("sink/port")
        try workspace.write(["slipway.yml": """
            alerts:
              webhook: http://127.0.0.1:\(sinkPort)/alerts
              command: cat >> command-alerts.log
              timeout: 1s
            """])
        try workspace.commitAll("alerts")
        try Self.seedBurningHour(workspace, environment: "production")

        #expect(try slipway("agent", "start").status == 0)
        // 4 burn-rate rules fire and the budget crosses 50%, 25% and 0%: 7 alerts for each of 2 sinks.
        let store = try SQLiteStore(path: workspace.statePath, actor: "tester")
        #expect(eventually(30) {
            let counts = (try? store.outboxCounts()) ?? (delivered: 0, pending: 0)
            return counts.delivered + counts.pending == 14
        })
        #expect(eventually(30) { Self.alertIDs((try? workspace.read("command-alerts.log")) ?? "").count == 7 },
                "the command sink is not held up by the hanging webhook")

        let deployed = try slipway("deploy-service", "api", "--env", "staging")
        #expect(deployed.status == 0, "\(deployed.stdout)\(deployed.stderr)")
        #expect(try store.outboxCounts().pending == 7, "the webhook's alerts wait in the outbox, not in the deploy")
        #expect(!FileManager.default.fileExists(atPath: sinkFolder.appendingPathComponent("webhook.log").path))

        try FileManager.default.removeItem(at: sinkFolder.appendingPathComponent("HANG"))
        #expect(eventually(90) { (try? store.outboxCounts().pending) == 0 }, "delivered once the webhook answers")
        // Two more drain passes: nothing is sent again.
        usleep(1_500_000)
        let webhookIDs = Self.alertIDs(try workspace.read("sink/webhook.log"))
        let commandIDs = Self.alertIDs(try workspace.read("command-alerts.log"))
        #expect(webhookIDs.count == 7, "\(webhookIDs)")
        #expect(Set(webhookIDs) == Set(commandIDs), "each alert once at each sink")
        let alerts = try store.events(limit: 1000).filter { $0.kind == "alert.raised" }
        #expect(alerts.count == 7)
        #expect(alerts.filter { $0.details?.outcome == "page" }.count == 2)
        #expect(alerts.filter { $0.details?.outcome == "ticket" }.count == 2)
        #expect(alerts.filter { $0.details?.outcome == "info" }.count == 3)
    }

    @Test func aSpentBudgetRefusesDeploysToProductionWhenConfigured() throws {
        let workspace = try TemporaryWorkspace(files: [
            "services/api/server.py": "",
            "services/api/slipway.yml": "target: local\nrun: exec python3 server.py\nslo:\n  refuse_deploys_when_spent: true\n",
        ])
        try workspace.commitAll("first")
        try Self.seedBurningHour(workspace, environment: "production")
        let refused = try SlipwayProcess(workspace)("deploy-service", "api", "--env", "production")
        #expect(refused.status == 1)
        #expect(refused.stderr.contains(
            "deploy of api to production refused: the error budget of availability is spent (-1900% left)"), "\(refused.stderr)")
        let store = try SQLiteStore(path: workspace.statePath, actor: "tester")
        let raised = try store.events(limit: 100).filter { $0.kind == "alert.raised" }
        #expect(raised.count == 1)
        #expect(raised.first?.details?.outcome == "info")
        #expect(try store.runs().isEmpty, "nothing was started")
    }
}
