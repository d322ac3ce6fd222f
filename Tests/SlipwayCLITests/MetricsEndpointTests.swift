import Foundation
import SlipwayCore
import SlipwayTestSupport
import Testing

/// The agent's `/metrics`, read by the Prometheus client library's own parser.
@Suite(.serialized) struct MetricsEndpointTests {
    /// Parses the page at `url` (asked with the token in the file given) with
    /// `prometheus_client.parser` and prints each sample as `name labels-json value`, one a line;
    /// any line the parser refuses fails the script.
    static let parser = """
        import json, sys, urllib.request
        from prometheus_client.parser import text_string_to_metric_families
        token = open(sys.argv[2]).read().strip()
        request = urllib.request.Request(sys.argv[1], headers={"Authorization": "Bearer " + token})
        text = urllib.request.urlopen(request, timeout=10).read().decode()
        for family in text_string_to_metric_families(text):
            for sample in family.samples:
                print(family.type, sample.name, json.dumps(sample.labels, sort_keys=True), float(sample.value))
        """

    @Test func metricsParseWithThePrometheusClientAndAgreeWithTheRouter() throws {
        try ExternalTool.requirePython(module: "prometheus_client")
        let workspace = try CanaryServiceWorkspace.create(
            canary: "  interval: 1s", monitoringPeriod: "1s", files: ["FAIL_EVERY": "4"])
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
        let status = try #require(try slipway.json("agent", "status") as? [String: Any])
        let metricsURL = try #require(status["metrics_url"] as? String)
        #expect(metricsURL.hasPrefix("http://127.0.0.1:"), "loopback by default")
        let route = try #require((status["routes"] as? [[String: Any]])?.first)
        let port = try #require(Int((route["url"] as? String)?.split(separator: ":").last ?? ""))
        for _ in 0..<40 { _ = httpGet(port) }
        // Wait for one SLI collection so the SLO gauges have minutes to show.
        usleep(1_500_000)
        let counts = try #require(
            ((try slipway.json("agent", "status") as? [String: Any])?["routes"] as? [[String: Any]])?.first?["counts"]
                as? [String: [String: Any]])
        let blueRequests = try #require(counts["blue"]?["requests"] as? Int)

        try workspace.write(["parse.py": Self.parser])
        // The page is the token holder's alone: loopback TCP is open to every local user.
        let tokenFile = try #require(status["metrics_token_file"] as? String)
        let mode = try #require(try FileManager.default.attributesOfItem(atPath: tokenFile)[.posixPermissions] as? Int)
        #expect(mode == 0o600)
        let metricsPort = try #require(URL(string: metricsURL)?.port)
        #expect(httpGet(metricsPort, "/metrics")?.status == 401, "no token, no page")
        let parsed = try workspace.run("/usr/bin/env", ["python3", "parse.py", metricsURL, tokenFile])
        try #require(parsed.status == 0, "prometheus_client refused the page: \(parsed.output)")
        let lines = parsed.output.split(separator: "\n").map(String.init)
        let blue = #"{"color": "blue", "component": "api", "environment": "staging"}"#
        #expect(lines.contains("counter slipway_requests_total \(blue) \(Double(blueRequests))"), "\(lines)")
        #expect(lines.contains("counter slipway_request_failures_total \(blue) 10.0"), "every 4th of 40: \(lines)")
        #expect(lines.contains("histogram slipway_request_duration_seconds_count \(blue) \(Double(blueRequests))"))
        #expect(lines.contains { $0.hasPrefix("histogram slipway_request_duration_seconds_bucket") && $0.contains(#""le": "+Inf""#) })
        #expect(lines.contains { $0.hasPrefix("gauge slipway_slo_error_budget_remaining_ratio") && $0.contains(#""objective": "availability""#) },
                "\(lines)")
        #expect(lines.contains { $0.hasPrefix("gauge slipway_slo_burn_rate") })
    }
}
