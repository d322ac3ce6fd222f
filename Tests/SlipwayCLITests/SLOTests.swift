import Foundation
import SlipwayCore
import SlipwayTestSupport
import Testing

/// SLIs as the agent stores them, and `slipway slo` over the stored minutes.
@Suite(.serialized) struct SLOTests {
    @Test func sloShowsBudgetBurnRateAndTimeToExhaustionFromStoredMinutes() throws {
        let workspace = try TemporaryWorkspace(files: [
            "services/api/server.py": "",
            "services/api/slipway.yml": "target: local\nrun: exec python3 server.py\nslo:\n  availability: 99\n",
            "services/web/server.py": "",
            "services/web/slipway.yml": "target: local\nrun: exec python3 server.py\n",
        ])
        try workspace.commitAll("first")
        let store = try SQLiteStore(path: workspace.statePath, actor: "tester")
        let now = SLIMinute.number(of: Date())
        // api, 99% (budget 1%): 120 minutes of 1000 requests, 5 bad a minute in the last 60.
        // 30 days: 300 / 120000 = 0.25% bad, budget left 75%; last hour 0.5% = burn 0.5;
        // exhausted in 0.75 * 30 days / 0.5 = 45 days. Latency: 50 requests a minute over 2 s (5%
        // against a 5% budget: burn 1) in the last hour.
        var increments: [SLIIncrement] = []
        for minute in (now - 120)..<now {
            let recent = minute >= now - 60
            increments.append(.init(component: "api", environment: "staging", objective: "availability",
                                    minute: SLIMinute(minute: minute, total: 1000, bad: recent ? 5 : 0)))
            increments.append(.init(component: "api", environment: "staging", objective: "latency-2s",
                                    minute: SLIMinute(minute: minute, total: 1000, bad: recent ? 50 : 0)))
            increments.append(.init(component: "web", environment: "production", objective: "availability",
                                    minute: SLIMinute(minute: minute, total: 10, bad: 0)))
            // 10% bad against a 1% budget: spent nine times over.
            increments.append(.init(component: "api", environment: "production", objective: "availability",
                                    minute: SLIMinute(minute: minute, total: 1000, bad: 100)))
        }
        try store.add(increments)

        let slipway = SlipwayProcess(workspace)
        let entries = try #require(try slipway.json("slo", "--env", "staging") as? [[String: Any]])
        #expect(Set(entries.map { $0["component"] as? String }) == ["api"], "only staging")
        let statuses = entries.compactMap { $0["status"] as? [String: Any] }
        func status(_ name: String) -> [String: Any]? {
            statuses.first { ($0["objective"] as? [String: Any])?["name"] as? String == name }
        }
        let availability = try #require(status("availability"))
        #expect(abs((availability["budget_remaining"] as? Double ?? 0) - 0.75) < 1e-9)
        #expect(abs((availability["burn_rate"] as? Double ?? 0) - 0.5) < 1e-9)
        #expect(abs((availability["days_to_exhaustion"] as? Double ?? 0) - 45) < 1e-6)
        #expect(abs((availability["current"] as? Double ?? 0) - 99.75) < 1e-9)
        let latency = try #require(status("latency-2s"))
        #expect(abs((latency["burn_rate"] as? Double ?? 0) - 1) < 1e-9)
        #expect(abs((latency["budget_remaining"] as? Double ?? 0) - 0.5) < 1e-9, "2.5% of 5%")
        let untouched = try #require(status("latency-5s"))
        #expect(untouched["days_to_exhaustion"] == nil, "no minutes, nothing burns")
        #expect(untouched["burn_rate"] as? Double == 0)

        let table = try slipway("slo")
        #expect(table.status == 0)
        #expect(table.stdout.contains("availability"))
        #expect(table.stdout.contains("45.0d"), "\(table.stdout)")
        let spent = try #require(table.stdout.split(separator: "\n").first { $0.contains("production") && $0.contains("availability") && $0.contains("api") })
        #expect(spent.components(separatedBy: "spent").count == 3, "budget and time left both say spent: \(spent)")
        #expect(!spent.contains("-900"), "never a negative budget: \(spent)")
        #expect(try slipway("slo", "--env", "prod").status == 2, "an unknown environment is a usage error")
    }

    @Test func badSLOSettingsNameTheirPlace() throws {
        let workspace = try TemporaryWorkspace(files: ["slipway.yml": "slo:\n  latency:\n    - under: 2s\n"])
        let result = try SlipwayProcess(workspace)("slo")
        #expect(result.status == 2)
        #expect(result.stderr.contains("slipway.yml:3:7: each of slo.latency needs both under (a duration) and target (a percentage)"),
                "\(result.stderr)")
    }

    @Test func theAgentStoresEveryRoutedRequestInPerMinuteAggregates() throws {
        let workspace = try CanaryServiceWorkspace.create(
            canary: "  interval: 1s", monitoringPeriod: "1s", files: ["FAIL_EVERY": "10"])
        var slipway = SlipwayProcess(workspace)
        slipway.environment["SLIPWAY_SLI_INTERVAL"] = "0.5"
        defer {
            var leftovers = slipway.stopAgentAndListLeftovers()
            _ = eventually(5) {
                leftovers = slipway.stopAgentAndListLeftovers()
                return leftovers.isEmpty
            }
            #expect(leftovers.isEmpty, "processes left behind: \(leftovers)")
        }
        let deployed = try slipway("deploy-service", "api", "--env", "staging")
        try #require(deployed.status == 0, "\(deployed.stdout)\(deployed.stderr)")
        let routes = try #require((try slipway.json("agent", "status") as? [String: Any])?["routes"] as? [[String: Any]])
        let port = try #require(Int((routes.first?["url"] as? String)?.split(separator: ":").last ?? ""))
        // Let one collection take the baseline (the post-promotion probes came before it), then send traffic.
        let store = try SQLiteStore(path: workspace.statePath, actor: "tester")
        usleep(1_500_000)
        let before = try Self.sums(store)
        let answers = SteadyTraffic(port: port, clients: 2)
        usleep(2_000_000)
        let counted = answers.stop()
        let sent = counted.values.reduce(0, +)
        let failed = counted[500] ?? 0
        #expect(sent > 20)
        #expect(failed > 0)
        let stored = eventually(30) {
            let now = (try? Self.sums(store)) ?? (total: 0, bad: 0, latencyTotal: 0)
            return now.total - before.total == sent && now.bad - before.bad == failed
        }
        let after = try Self.sums(store)
        #expect(stored, "stored \(after.total - before.total) requests and \(after.bad - before.bad) bad; sent \(sent), \(failed) failed")
        #expect(after.latencyTotal - before.latencyTotal == sent, "the latency objective counts every request too")
        let entries = try #require(try slipway.json("slo") as? [[String: Any]])
        #expect(entries.count == 3, "availability and two latency objectives for api in staging")
    }

    /// Availability total and bad, and the 2 s latency total, over every stored minute of api.
    static func sums(_ store: EventStore) throws -> (total: Int, bad: Int, latencyTotal: Int) {
        let availability = try store.sliMinutes(component: "api", environment: "staging", objective: "availability", since: 0)
        let latency = try store.sliMinutes(component: "api", environment: "staging", objective: "latency-2s", since: 0)
        return (availability.map(\.total).reduce(0, +), availability.map(\.bad).reduce(0, +), latency.map(\.total).reduce(0, +))
    }
}
