import Foundation
import SlipwayCore
import SlipwayTestSupport
import Testing

/// A local service placed on named hosts (`hosts:`): the run asks each host's agent, through the
/// store, to prepare and then switch. One real agent here is host `web-1` (`SLIPWAY_HOST`); a
/// host with no agent (`web-9`) is the host that is down. Several live hosts on one shared store
/// are HostLab's.
@Suite(.serialized) struct HostFleetTests {
    func start(hosts: [String], minHealthy: Int? = nil, function: String = #function) throws -> (SlipwayProcess, TemporaryWorkspace) {
        let settings = """
            environments:
              staging:
                hosts: [\(hosts.joined(separator: ", "))]
            \(minHealthy.map { "    min_healthy: \($0)" } ?? "")
            """
        let workspace = try LocalServiceWorkspace.create(settings: settings, function: function)
        var slipway = SlipwayProcess(workspace)
        slipway.environment[ProcessIdentity.hostVariable] = "web-1"
        return (slipway, workspace)
    }

    func routePort(_ slipway: SlipwayProcess) throws -> Int {
        let status = try #require(try slipway.json("agent", "status") as? [String: Any])
        let routes = try #require(status["routes"] as? [[String: Any]])
        let url = try #require(routes.first?["url"] as? String)
        return try #require(Int(url.split(separator: ":").last ?? ""))
    }

    func hostSteps(_ slipway: SlipwayProcess) throws -> [(host: String, step: String, outcome: String)] {
        let events = try slipway("events", "--json", "--limit", "200").stdout.split(separator: "\n").compactMap {
            try JSONSerialization.jsonObject(with: Data($0.utf8)) as? [String: Any]
        }
        return events.compactMap { event in
            guard event["kind"] as? String == "host.step_finished", let details = event["payload"] as? [String: Any],
                  let host = details["origin"] as? String, let step = details["stage"] as? String,
                  let outcome = details["outcome"] as? String else { return nil }
            return (host, step, outcome)
        }
    }

    @Test func aDeployToNamedHostsIsPreparedAndSwitchedByTheHostsAgent() throws {
        let (slipway, workspace) = try start(hosts: ["web-1"])
        defer { #expect(slipway.stopAgentAndListLeftovers().isEmpty) }
        let first = try FakeCloudWorkspace.version(workspace, "services/api")
        let deployed = try slipway("deploy-service", "api", "--env", "staging")
        #expect(deployed.status == 0, "\(deployed.stdout)\(deployed.stderr)")
        #expect(deployed.stdout.contains("web-1: prepare done: \(first) healthy in the blue slot"), "\(deployed.stdout)")
        #expect(deployed.stdout.contains("web-1: switch done: traffic on blue"), "\(deployed.stdout)")
        let port = try routePort(slipway)
        #expect(httpGet(port)?.body == "api \(first) blue\n")

        try LocalServiceWorkspace.newVersion(workspace, note: "two")
        let second = try FakeCloudWorkspace.version(workspace, "services/api")
        let again = try slipway("deploy-service", "api", "--env", "staging")
        #expect(again.status == 0, "\(again.stdout)\(again.stderr)")
        #expect(httpGet(port)?.body == "api \(second) green\n", "the host's own router moved to green")
        let steps = try hostSteps(slipway)
        #expect(steps.filter { $0.host == "web-1" && $0.outcome == "done" }.count == 4, "\(steps)")
    }

    @Test func aHostThatIsDownIsReportedAndSkippedWhenMinHealthyIsMet() throws {
        let (slipway, workspace) = try start(hosts: ["web-1", "web-9"], minHealthy: 1)
        defer { #expect(slipway.stopAgentAndListLeftovers().isEmpty) }
        let first = try FakeCloudWorkspace.version(workspace, "services/api")
        let deployed = try slipway("deploy-service", "api", "--env", "staging")
        #expect(deployed.status == 0, "\(deployed.stdout)\(deployed.stderr)")
        #expect(deployed.stdout.contains("web-9: prepare failed: host down: its agent did not take the step"), "\(deployed.stdout)")
        #expect(deployed.stdout.contains("1 of 2 hosts healthy (min_healthy 1)"), "\(deployed.stdout)")
        #expect(httpGet(try routePort(slipway))?.body == "api \(first) blue\n")
        let steps = try hostSteps(slipway)
        #expect(steps.contains { $0 == ("web-9", "prepare", "failed") }, "\(steps)")
        #expect(!steps.contains { $0.host == "web-9" && $0.step == "switch" }, "a down host is not asked to switch: \(steps)")
    }

    @Test func tooFewHealthyHostsMoveNoTrafficAndStopWhatWasPrepared() throws {
        let (slipway, _) = try start(hosts: ["web-1", "web-9"])
        defer { #expect(slipway.stopAgentAndListLeftovers().isEmpty) }
        let deployed = try slipway("deploy-service", "api", "--env", "staging")
        #expect(deployed.status == 1, "\(deployed.stdout)\(deployed.stderr)")
        #expect((deployed.stdout + deployed.stderr).contains("1 of 2 hosts healthy, min_healthy is 2: no traffic moved (web-9: host down"), "\(deployed.stdout)\(deployed.stderr)")
        let steps = try hostSteps(slipway)
        #expect(steps.contains { $0 == ("web-1", "abort", "done") }, "web-1's prepared slot is stopped: \(steps)")
        let status = try #require(try slipway.json("agent", "status") as? [String: Any])
        let slots = try #require(status["slots"] as? [[String: Any]])
        #expect(!slots.contains { $0["state"] as? String == "running" }, "\(slots)")
    }

    @Test func aReleaseUnhealthyOnItsHostMovesNoTrafficThere() throws {
        let (slipway, workspace) = try start(hosts: ["web-1"])
        defer { #expect(slipway.stopAgentAndListLeftovers().isEmpty) }
        let first = try FakeCloudWorkspace.version(workspace, "services/api")
        #expect(try slipway("deploy-service", "api", "--env", "staging").status == 0)
        try LocalServiceWorkspace.newVersion(workspace, markers: ["UNHEALTHY"], note: "two")
        let deployed = try slipway("deploy-service", "api", "--env", "staging")
        #expect(deployed.status == 1, "\(deployed.stdout)\(deployed.stderr)")
        #expect((deployed.stdout + deployed.stderr).contains("0 of 1 hosts healthy, min_healthy is 1: no traffic moved (web-1: "),
                "\(deployed.stdout)\(deployed.stderr)")
        #expect(httpGet(try routePort(slipway))?.body == "api \(first) blue\n", "web-1 still serves the release before")
    }
}
