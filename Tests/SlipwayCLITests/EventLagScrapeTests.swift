import Foundation
import SlipwayCore
import SlipwayTestSupport
import Testing

/// The event-lag SLI for real: a python3 service exposes the gauge on its own Prometheus
/// endpoint, the agent reads it from the live slot into the SLI store and raises the alarm.
@Suite(.serialized) struct EventLagScrapeTests {
    /// Answers /health, and /metrics with `slipway_event_lag_seconds` read from the file named by argv[1].
    static let server = """
        import http.server, os, sys
        lag_file = sys.argv[1]
        class Handler(http.server.BaseHTTPRequestHandler):
            def do_GET(self):
                if self.path == "/metrics":
                    lag = open(lag_file).read().strip()
                    body = ("# TYPE slipway_event_lag_seconds gauge\\nslipway_event_lag_seconds{consumer=\\"orders\\"} %s\\n" % lag).encode()
                else:
                    body = b"ok\\n"
                self.send_response(200)
                self.send_header("Content-Length", str(len(body)))
                self.end_headers()
                self.wfile.write(body)
            def log_message(self, *args):
                pass
        http.server.ThreadingHTTPServer(("127.0.0.1", int(os.environ["PORT"])), Handler).serve_forever()
        """

    @Test func theAgentReadsTheLagGaugeIntoTheStoreAndRaisesTheAlarmOnce() throws {
        let workspace = try TemporaryWorkspace()
        let lagFile = workspace.root.appendingPathComponent("lag.txt")
        try "20".write(to: lagFile, atomically: true, encoding: .utf8)
        try workspace.write([
            "services/worker/server.py": Self.server,
            "services/worker/slipway.yml": """
                target: local
                run: exec python3 server.py \(lagFile.path)
                post_promotion: 1s
                health:
                  interval: 100ms
                  attempts: 50
                slo:
                  event_lag: true
                """,
        ])
        try workspace.commitAll("worker")
        var slipway = SlipwayProcess(workspace)
        slipway.environment["SLIPWAY_SLI_INTERVAL"] = "0.5"
        defer {
            let leftovers = slipway.stopAgentAndListLeftovers()
            #expect(leftovers.isEmpty, "processes left behind: \(leftovers)")
        }
        let deployed = try slipway("deploy-service", "worker", "--env", "staging")
        try #require(deployed.status == 0, "\(deployed.stdout)\(deployed.stderr)")
        let store = try SQLiteStore(path: workspace.statePath, actor: "tester")
        func lagEvents() -> (total: Int, bad: Int) {
            let sums = try? store.sliSums(
                component: "worker", environment: "staging", objective: "event-lag-1m", lengths: [120],
                before: SLIMinute.number(of: Date()) + 1)
            return sums?.first ?? (0, 0)
        }
        func alarms() -> [Event] {
            ((try? store.events(limit: 1000)) ?? []).filter { $0.kind == "alert.raised" && $0.details?.stage == EventLagAlarm.rule }
        }

        #expect(eventually(30) { lagEvents().total >= 3 }, "readings are stored")
        #expect(lagEvents().bad == 0, "20 s is within a minute")
        #expect(alarms().isEmpty)

        try "420".write(to: lagFile, atomically: true, encoding: .utf8)
        #expect(eventually(30) { alarms().count == 1 }, "7 min of lag raises the alarm")
        #expect(alarms().first?.details?.outcome == "page")
        #expect(alarms().first?.details?.reason == "worker in staging: event-processing lag is 7m, over the 5m alarm")
        let readingsWhileOver = lagEvents()
        #expect(eventually(30) { lagEvents().bad >= readingsWhileOver.bad + 2 }, "readings over a minute are bad events")
        #expect(alarms().count == 1, "raised once while it stays over")

        try "5".write(to: lagFile, atomically: true, encoding: .utf8)
        #expect(eventually(30) { alarms().count == 2 }, "back under the alarm clears it")
        #expect(alarms().last?.details?.reason?.contains("back within the 5m alarm") == true)

        let entries = try #require(try slipway.json("slo", "--env", "staging") as? [[String: Any]])
        let lag = entries.compactMap { $0["status"] as? [String: Any] }
            .first { ($0["objective"] as? [String: Any])?["name"] as? String == "event-lag-1m" }
        #expect(lag != nil, "slipway slo shows the lag objective: \(entries)")
    }
}
