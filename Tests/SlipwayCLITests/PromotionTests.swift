import Foundation
import SlipwayCore
import SlipwayTestSupport
import Testing

/// What happens around a switch: manual promotion, pre-promotion checks, how long the old colour
/// stays warm, which built releases are kept, and where the router listens.
@Suite(.serialized) struct PromotionTests {
    func start(settings: String, function: String = #function) throws -> (SlipwayProcess, TemporaryWorkspace) {
        let workspace = try LocalServiceWorkspace.create(settings: settings, function: function)
        return (SlipwayProcess(workspace), workspace)
    }

    func stopAll(_ slipway: SlipwayProcess) {
        let leftovers = slipway.stopAgentAndListLeftovers()
        #expect(leftovers.isEmpty, "processes left behind: \(leftovers)")
    }

    func route(_ slipway: SlipwayProcess) throws -> (host: String, port: Int) {
        let status = try #require(try slipway.json("agent", "status") as? [String: Any])
        let url = try #require((status["routes"] as? [[String: Any]])?.first?["url"] as? String)
        let parts = url.replacingOccurrences(of: "http://", with: "").split(separator: ":")
        return (String(parts[0]), try #require(Int(parts[1])))
    }

    func slot(_ slipway: SlipwayProcess, _ color: String) throws -> [String: Any]? {
        let status = try #require(try slipway.json("agent", "status") as? [String: Any])
        return (status["slots"] as? [[String: Any]])?.first { $0["color"] as? String == color }
    }

    func stagingRow(_ slipway: SlipwayProcess) throws -> [String: Any] {
        let rows = try #require(try slipway.json("status", "--env", "staging") as? [[String: Any]])
        return try #require(rows.first)
    }

    @Test func withoutAutoPromoteAHealthyReleaseWaitsForTheSwitchByHand() throws {
        let (slipway, workspace) = try start(settings: "auto_promote: false")
        defer { stopAll(slipway) }
        let first = try FakeCloudWorkspace.version(workspace, "services/api")
        #expect(try slipway("deploy-service", "api", "--env", "staging").status == 0)
        #expect(try slipway("switch", "api", "--env", "staging", "--to", "blue").status == 0)
        let port = try route(slipway).port
        #expect(httpGet(port)?.body == "api \(first) blue\n")

        try LocalServiceWorkspace.newVersion(workspace, note: "two")
        let second = try FakeCloudWorkspace.version(workspace, "services/api")
        let deployed = try slipway("deploy-service", "api", "--env", "staging")
        #expect(deployed.status == 0, "\(deployed.stdout)\(deployed.stderr)")
        #expect(!deployed.stdout.contains("switch-traffic"), "no switch stage ran: \(deployed.stdout)")
        #expect(httpGet(port)?.body == "api \(first) blue\n", "traffic did not move")
        let waiting = try stagingRow(slipway)
        #expect(waiting["live_version"] as? String == first)
        let ready = try #require(waiting["ready"] as? [String: Any])
        #expect(ready["version"] as? String == second && ready["color"] as? String == "green")
        let table = try slipway("status", "--env", "staging")
        #expect(table.stdout.contains("green \(second) ready, waiting for switch"), "\(table.stdout)")
        let releases = try #require(try slipway.json("releases", "api", "--env", "staging") as? [[String: Any]])
        #expect(!releases.contains { $0["version"] as? String == second }, "not tagged before it is live")

        let promoted = try slipway("switch", "api", "--env", "staging")
        #expect(promoted.status == 0, "\(promoted.stdout)\(promoted.stderr)")
        #expect(promoted.stdout.contains("post-promotion"), "the promotion is watched: \(promoted.stdout)")
        #expect(httpGet(port)?.body == "api \(second) green\n")
        let live = try stagingRow(slipway)
        #expect(live["live_version"] as? String == second)
        #expect(live["ready"] is NSNull)
        let tagged = try #require(try slipway.json("releases", "api", "--env", "staging") as? [[String: Any]])
        #expect(tagged.contains { $0["version"] as? String == second }, "tagged once promoted")
    }

    @Test func aFailingPrePromotionCheckKeepsTrafficWhereItWas() throws {
        let check = #"test ! -f SMOKE_FAIL && python3 -c "import os, urllib.request; urllib.request.urlopen(os.environ['SLIPWAY_URL'] + '/health')""#
        let (slipway, workspace) = try start(settings: "pre_promotion: ['\(check.replacingOccurrences(of: "'", with: "''"))']")
        defer { stopAll(slipway) }
        let first = try FakeCloudWorkspace.version(workspace, "services/api")
        let passed = try slipway("deploy-service", "api", "--env", "staging")
        #expect(passed.status == 0, "\(passed.stdout)\(passed.stderr)")
        #expect(passed.stdout.contains("pre-promotion"))
        let port = try route(slipway).port

        try workspace.write(["services/api/SMOKE_FAIL": "on purpose\n"])
        try workspace.commitAll("smoke test fails")
        let refused = try slipway("deploy-service", "api", "--env", "staging")
        #expect(refused.status == 1)
        #expect((refused.stdout + refused.stderr).contains("pre-promotion check 'test ! -f SMOKE_FAIL"), "\(refused.stdout)\(refused.stderr)")
        #expect(httpGet(port)?.body == "api \(first) blue\n", "traffic stayed on blue")
        #expect(try slot(slipway, "green")?["state"] as? String == "stopped", "the new slot was stopped")
    }

    @Test func theColourThatLostItsTrafficIsStoppedAfterKeepWarmOnceDrained() throws {
        let (slipway, workspace) = try start(settings: "keep_warm: 1s")
        defer { stopAll(slipway) }
        #expect(try slipway("deploy-service", "api", "--env", "staging").status == 0)
        let port = try route(slipway).port
        let first = try FakeCloudWorkspace.version(workspace, "services/api")

        // A request in flight on blue across the switch must finish although blue is retired.
        let slowAnswer = SlowRequest(port: port)
        let sent = Date()
        while try (slot(slipway, "blue")?["state"] as? String) == "running", Date().timeIntervalSince(sent) < 0.5 {
            usleep(100_000)
        }
        try LocalServiceWorkspace.newVersion(workspace, note: "two")
        #expect(try slipway("deploy-service", "api", "--env", "staging").status == 0)
        let warm = try #require(try slot(slipway, "blue"))
        #expect(warm["state"] as? String == "running", "blue is still running right after the switch")
        #expect(warm["warm_until"] != nil, "and says until when it stays warm")

        let answer = slowAnswer.wait()
        #expect(answer?.status == 200 && answer?.body == "api \(first) blue\n",
                "the request in flight on blue finished: \(String(describing: answer))")
        let deadline = Date().addingTimeInterval(15)
        while Date() < deadline, try slot(slipway, "blue")?["state"] as? String == "running" { usleep(200_000) }
        #expect(try slot(slipway, "blue")?["state"] as? String == "stopped", "blue went once kept warm and drained")
        let events = try slipway("events", "--json")
        #expect(events.stdout.contains("kept warm until"), "the stop is recorded with its reason")
    }

    @Test func keepReleasesRemovesOldBuildsButNeverTheLiveOrLastGoodOne() throws {
        let (slipway, workspace) = try start(settings: "keep_releases: 1")
        defer { stopAll(slipway) }
        var versions: [String] = []
        for note in ["one", "two", "three", "four"] {
            if note != "one" { try LocalServiceWorkspace.newVersion(workspace, note: note) }
            versions.append(try FakeCloudWorkspace.version(workspace, "services/api"))
            let deployed = try slipway("deploy-service", "api", "--env", "staging")
            #expect(deployed.status == 0, "\(deployed.stdout)\(deployed.stderr)")
        }
        let releases = workspace.root.appendingPathComponent(".slipway/releases/api")
        let kept = Set(try FileManager.default.contentsOfDirectory(atPath: releases.path))
        #expect(kept == [versions[3], versions[2]], "the live one and the last good (still warm) one: \(kept)")

        let rolledBack = try slipway("rollback", "api", "--env", "staging", "--to", versions[1])
        #expect(rolledBack.status == 0, "a removed release is rebuilt from git: \(rolledBack.stdout)\(rolledBack.stderr)")
        #expect(httpGet(try route(slipway).port)?.body.hasPrefix("api \(versions[1]) ") == true)
    }

    @Test func theRouterListensOnTheConfiguredAddress() throws {
        let (slipway, workspace) = try start(settings: "bind_address: 127.0.0.2")
        defer { stopAll(slipway) }
        let deployed = try slipway("deploy-service", "api", "--env", "staging")
        #expect(deployed.status == 0, "\(deployed.stdout)\(deployed.stderr)")
        let (host, port) = try route(slipway)
        #expect(host == "127.0.0.2")
        #expect(httpGet(port, "/", timeout: 5, host: "127.0.0.2")?.status == 200)
        #expect(httpGet(port) == nil, "nothing listens on 127.0.0.1 at that port")

        let settings = workspace.root.appendingPathComponent("services/api/slipway.yml")
        let good = try String(contentsOf: settings, encoding: .utf8)
        try workspace.write(["services/api/slipway.yml": "target: local\nrun: exec python3 server.py\nbind_address: localhost\n"])
        let bad = try slipway("config", "check")
        let status = try slipway("status")
        try good.write(to: settings, atomically: true, encoding: .utf8)
        #expect(bad.status == 2)
        #expect(status.status == 0 && status.stderr.contains("warning: services/api/slipway.yml:3:15: bind_address"), "\(status.stderr)")
        #expect(bad.stderr.contains("slipway.yml:3:15: bind_address must be an IPv4 address, found 'localhost'"), "\(bad.stderr)")
    }
}

/// A GET of `/slow` (answered after 6 s) sent on a thread of its own.
final class SlowRequest: @unchecked Sendable {
    private var answer: HTTPProbe.Response?
    private let done = DispatchSemaphore(value: 0)

    init(port: Int) {
        Thread.detachNewThread { [self] in
            answer = httpGet(port, "/slow", timeout: 20)
            done.signal()
        }
    }

    func wait() -> HTTPProbe.Response? {
        _ = done.wait(timeout: .now() + 30)
        return answer
    }
}
