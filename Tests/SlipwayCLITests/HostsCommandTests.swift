import Foundation
import SlipwayCore
import SlipwayTestSupport
import Testing

/// `slipway hosts`: the fleet's hosts, each agent up, down or stopped as its heartbeats say, with
/// its router's routes and its live slots; and `status` per host once there is more than one.
@Suite struct HostsCommandTests {
    static func slot(_ host: String, _ color: String, state: SlotState = .running) -> SlotRecord {
        SlotRecord(
            component: "web", environment: "staging", color: color, version: "v1", port: 9100, pid: 4242, pidStartTime: "1",
            host: host, directory: "/srv/web", command: #"["./serve"]"#, variables: "{}", logPath: "/srv/web/\(color).log",
            state: state, restarts: 0, startedAt: Date())
    }

    @Test func aHostWithManyRoutesShowsTheFirstThreeAndHowManyMoreWhileJSONListsThemAll() throws {
        let workspace = try TemporaryWorkspace(files: ["slipway.yml": "environments:\n  staging: {}\n"])
        let slipway = SlipwayProcess(workspace)
        let store = try SQLiteStore(path: workspace.statePath, actor: "tester")
        let now = Date()
        try store.recordHeartbeat(of: HostRecord(
            host: "web-1", pid: 10, pidStartTime: "1", version: "0.1.0", startedAt: now - 120, lastSeen: now))
        for (index, name) in ["api", "billing", "cart", "docs", "edge"].enumerated() {
            try store.save(RouteRecord(
                component: name, environment: "staging", host: "127.0.0.1", port: 8080 + index, liveColor: "blue", greenWeight: 0,
                hostName: "web-1"))
        }
        let text = try slipway("hosts")
        let line = try #require(text.stdout.split(separator: "\n").first { $0.hasPrefix("web-1") }, "\(text.stdout)")
        #expect(line.contains("api/staging http://127.0.0.1:8080, billing/staging http://127.0.0.1:8081, cart/staging http://127.0.0.1:8082, +2 more"),
                "\(line)")
        #expect(!line.contains("edge/staging"))
        let listed = try #require(try slipway.json("hosts") as? [[String: Any]])
        #expect((listed.first?["routes"] as? [[String: Any]])?.count == 5, "--json lists every route")
    }

    @Test func eachHostIsShownUpOrDownWithItsRoutesAndLiveSlots() throws {
        let workspace = try TemporaryWorkspace(files: ["slipway.yml": "environments:\n  staging: {}\n"])
        let slipway = SlipwayProcess(workspace)
        let store = try SQLiteStore(path: workspace.statePath, actor: "tester")
        let now = Date()
        try store.recordHeartbeat(of: HostRecord(
            host: "web-1", pid: 10, pidStartTime: "1", version: "0.1.0", startedAt: now - 120, lastSeen: now))
        try store.recordHeartbeat(of: HostRecord(
            host: "web-2", pid: 20, pidStartTime: "2", version: "0.1.0", startedAt: now - 120, lastSeen: now - 60))
        try store.save(Self.slot("web-1", "blue"))
        try store.save(Self.slot("web-1", "green", state: .stopped))
        try store.save(Self.slot("web-2", "blue"))
        try store.save(RouteRecord(
            component: "web", environment: "staging", host: "127.0.0.1", port: 8080, liveColor: "blue", greenWeight: 0, hostName: "web-1"))

        let listed = try #require(try slipway.json("hosts", "--json") as? [[String: Any]])
        #expect(listed.compactMap { $0["host"] as? String } == ["web-1", "web-2"])
        #expect(listed.compactMap { $0["state"] as? String } == ["up", "down"])
        let routes = try #require(listed.first?["routes"] as? [[String: Any]])
        #expect(routes.compactMap { $0["url"] as? String } == ["http://127.0.0.1:8080"])
        #expect(listed.map { ($0["slots"] as? [[String: Any]])?.compactMap { $0["color"] as? String } ?? [] } == [["blue"], ["blue"]],
                "only running slots")

        let text = try slipway("hosts")
        #expect(text.status == 0, "\(text.stderr)")
        let lines = text.stdout.split(separator: "\n").map(String.init)
        #expect(lines.first?.hasPrefix("HOST") == true, "\(text.stdout)")
        #expect(lines.contains { $0.hasPrefix("web-1") && $0.contains("up") && $0.contains("web/staging http://127.0.0.1:8080") }, "\(text.stdout)")
        #expect(lines.contains { $0.hasPrefix("web-2") && $0.contains("down") && $0.contains("1m ago") }, "\(text.stdout)")

        let status = try slipway("status")
        #expect(status.status == 0, "\(status.stderr)")
        #expect(status.stdout.contains("LIVE SLOTS"), "\(status.stdout)")
        #expect(status.stdout.split(separator: "\n").contains { $0.hasPrefix("total") && $0.contains("1 of 2 up") && $0.contains("2") },
                "\(status.stdout)")
    }

    @Test func oneHostsStatusIsAsBefore() throws {
        let workspace = try TemporaryWorkspace(files: ["slipway.yml": "environments:\n  staging: {}\n"])
        let slipway = SlipwayProcess(workspace)
        let store = try SQLiteStore(path: workspace.statePath, actor: "tester")
        try store.save(Self.slot("web-1", "blue"))
        let status = try slipway("status")
        #expect(status.status == 0, "\(status.stderr)")
        #expect(!status.stdout.contains("LIVE SLOTS"), "\(status.stdout)")
        let hosts = try slipway("hosts").stdout
        #expect(hosts.split(separator: "\n").contains { $0.hasPrefix("web-1") && $0.contains("down") && $0.contains("never") }, "\(hosts)")
    }

    @Test func anAgentSaysItsHostIsUpAndStoppedAtAgentStop() throws {
        let workspace = try FakeCloudWorkspace.create()
        var slipway = SlipwayProcess(workspace)
        slipway.environment[ProcessIdentity.hostVariable] = "edge-7"
        defer { #expect(slipway.stopAgentAndListLeftovers().isEmpty) }
        #expect(try slipway("agent", "start").status == 0)
        let up = try #require(try slipway.json("hosts", "--json") as? [[String: Any]])
        #expect(up.compactMap { $0["host"] as? String } == ["edge-7"])
        #expect(up.first?["state"] as? String == "up")

        #expect(try slipway("agent", "stop").status == 0)
        let stopped = try #require(try slipway.json("hosts", "--json") as? [[String: Any]])
        #expect(stopped.first?["state"] as? String == "stopped", "\(stopped)")
    }
}
