import Foundation
import SlipwayCore
import SlipwayTestSupport
import Testing

/// `slipway demo --cloud` made for real in a temporary folder: moto and the Cloudflare stand-in
/// started in the background, an ECS service and a Worker deployed beside the four local
/// components. What it deployed is read back from the platforms (the aws CLI against its moto, the
/// stand-in's own state), never from Slipway; `agent stop` must leave no stand-in behind.
@Suite(.serialized) struct DemoCloudTests {
    @Test func theCloudDemoDeploysAnECSServiceAndAWorkerBesideTheLocalOnesAndAgentStopEndsItsStandIns() throws {
        try ExternalTool.require("aws", "moto_server")
        let workspace = try TemporaryWorkspace()
        let slipway = SlipwayProcess(workspace)
        let demo = workspace.root.appendingPathComponent("demo")
        var standIns: [ProcessRecord] = []
        defer {
            let leftovers = slipway.stopAgentAndListLeftovers(workspace: "demo")
            #expect(leftovers.isEmpty, "processes left behind: \(leftovers)")
            for record in standIns { #expect(!DetachedProcess.isRunning(record.pid), "\(record.role) still runs") }
        }
        let made = try slipway("demo", "--dir", "demo", "--no-console", "--cloud")
        let store = try SQLiteStore(path: demo.appendingPathComponent(".slipway/state.db"))
        standIns = try store.processes().filter(\.isStandIn)
        #expect(made.status == 0, "\(made.stdout)\(made.stderr)")
        #expect(made.stdout.contains("a STAND-IN for Cloudflare's API"), "the output says the Cloudflare API is a stand-in")
        #expect(Set(standIns.compactMap(\.standInName)) == ["moto", "cloudflare"])
        #expect(standIns.allSatisfy { DetachedProcess.isRunning($0.pid) })

        let status = try #require(try slipway.json("status", "--workspace", "demo") as? [[String: Any]])
        #expect(Set(status.compactMap { $0["component"] as? String })
            == ["landing-page", "qis-data-management", "accounts", "admin", "orders", "edge"])
        func row(_ component: String, _ environment: String) -> [String: Any]? {
            status.first { $0["component"] as? String == component && $0["environment"] as? String == environment }
        }
        let variables = DemoCloud.variables(in: try String(contentsOf: demo.appendingPathComponent(DemoCloud.variablesFile), encoding: .utf8))
        for environment in ["development", "staging", "production"] {
            // ECS: the listener forwards everything to the colour Slipway deployed, whose service runs the version.
            let orders = try #require(row("orders", environment))
            let color = try #require(orders["live_color"] as? String)
            let version = try #require(orders["live_version"] as? String)
            let settings = try String(contentsOf: demo.appendingPathComponent("services/orders/slipway.yml"), encoding: .utf8)
            let listener = try #require(Self.value(after: "\(environment):", key: "listener: ", in: settings))
            let groups = try Self.forward(listener: listener, variables)
            #expect(groups.count == 2 && groups.values.reduce(0, +) == 100)
            let live = try #require(groups.first { $0.value == 100 }?.key)
            #expect(live.contains("targetgroup/orders-\(environment)-\(color)/"), "\(environment): the listener forwards to \(groups)")
            let services = try MotoServer.aws(
                ["ecs", "describe-services", "--cluster", "demo", "--services", "orders-\(environment)-\(color)"], environment: variables)
            let service = try #require(try requireArray(services["services"]).first)
            let definition = try #require(service["taskDefinition"] as? String)
            let primary = try requireArray(service["deployments"]).first { $0["status"] as? String == "PRIMARY" }
            #expect(primary?["taskDefinition"] as? String == definition, "the primary deployment runs it")
            let described = try MotoServer.aws(["ecs", "describe-task-definition", "--task-definition", definition], environment: variables)
            let image = ((described["taskDefinition"] as? [String: Any])?["containerDefinitions"] as? [[String: Any]])?.first?["image"] as? String
            #expect(image == "\(DemoCloud.image):\(version)")

            // The Worker: its newest deployment gives the version Slipway deployed 100%.
            let edge = try #require(row("edge", environment))
            let script = "edge-\(["development": "dev", "staging": "staging", "production": "production"][environment]!)"
            let split = try Self.workerSplit(script, standIn: try #require(variables["CLOUDFLARE_API_BASE_URL"]))
            #expect(split == [try #require(edge["live_version"] as? String): 100], "\(script): \(split)")
        }
        // The figures the console shows come from the platforms' own metrics: moto has ALB datapoints within a tick or two.
        #expect(eventually(60) {
            let metrics = (try? MotoServer.aws(["cloudwatch", "list-metrics", "--namespace", "AWS/ApplicationELB",
                                                 "--metric-name", "RequestCount"], environment: variables)["Metrics"]) as? [Any]
            return (metrics?.count ?? 0) >= 3
        }, "moto records each environment's requests")

        let again = try slipway("demo", "--dir", "demo", "--no-console", "--cloud")
        #expect(again.status == 0, "\(again.stdout)\(again.stderr)")
        #expect(again.stdout.contains("reusing the demo"), "the stand-ins still run, so the demo is reused")

        let stop = try slipway("--workspace", "demo", "agent", "stop")
        #expect(stop.status == 0, "\(stop.stdout)\(stop.stderr)")
        #expect(eventually(30) { standIns.allSatisfy { !DetachedProcess.isRunning($0.pid) } }, "agent stop stopped moto and the stand-in")
        #expect(try store.processes().filter(\.isStandIn).isEmpty)
    }

    /// The value of `key` on the first line holding it after the line ending in `section`.
    static func value(after section: String, key: String, in text: String) -> String? {
        let lines = text.split(separator: "\n").map(String.init)
        guard let start = lines.firstIndex(where: { $0.hasSuffix(section) }) else { return nil }
        guard let line = lines[start...].first(where: { $0.contains(key) }) else { return nil }
        return line.components(separatedBy: key).last?.trimmingCharacters(in: CharacterSet(charactersIn: "\" "))
    }

    /// The listener's forward weights by target group ARN.
    static func forward(listener: String, _ variables: [String: String]) throws -> [String: Int] {
        let listeners = try requireArray(MotoServer.aws(["elbv2", "describe-listeners", "--listener-arns", listener], environment: variables)["Listeners"])
        let actions = listeners.first?["DefaultActions"] as? [[String: Any]] ?? []
        let forward = actions.first { $0["Type"] as? String == "forward" } ?? [:]
        var weights: [String: Int] = [:]
        for group in (forward["ForwardConfig"] as? [String: Any])?["TargetGroups"] as? [[String: Any]] ?? [] {
            weights[group["TargetGroupArn"] as? String ?? "?"] = group["Weight"] as? Int ?? -1
        }
        return weights
    }

    /// The Worker's newest deployment as `[version tag: percentage]`, from the stand-in's own state.
    static func workerSplit(_ script: String, standIn baseURL: String) throws -> [String: Double] {
        let url = URL(string: baseURL.replacingOccurrences(of: "/client/v4", with: "/__standin/state"))!
        let state = try JSONSerialization.jsonObject(with: try Data(contentsOf: url)) as? [String: Any] ?? [:]
        let found = (state["scripts"] as? [String: Any])?["\(DemoCloud.account)/\(script)"] as? [String: Any] ?? [:]
        var tags: [String: String] = [:]
        for version in found["versions"] as? [[String: Any]] ?? [] {
            tags[version["id"] as? String ?? ""] = (version["annotations"] as? [String: Any])?["workers/tag"] as? String ?? "?"
        }
        var split: [String: Double] = [:]
        for share in ((found["deployments"] as? [[String: Any]])?.last?["versions"] as? [[String: Any]]) ?? [] {
            split[tags[share["version_id"] as? String ?? ""] ?? "?"] = share["percentage"] as? Double ?? -1
        }
        return split
    }
}
