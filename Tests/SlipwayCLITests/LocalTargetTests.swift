import Foundation
import SlipwayCore
import Synchronization
import SlipwayTestSupport
import Testing

/// The `local` target for real: slots are python3 processes, the router is the real router process.
@Suite(.serialized) struct LocalTargetTests {
    struct Live {
        var slipway: SlipwayProcess
        var workspace: TemporaryWorkspace

        func agentStatus() throws -> [String: Any] {
            try #require(try slipway.json("agent", "status") as? [String: Any])
        }

        func routePort() throws -> Int {
            let routes = try #require(try agentStatus()["routes"] as? [[String: Any]])
            let url = try #require(routes.first?["url"] as? String)
            return try #require(Int(url.split(separator: ":").last ?? ""))
        }

        func slots() throws -> [[String: Any]] {
            try #require(try agentStatus()["slots"] as? [[String: Any]])
        }

        /// Stops the agent, the router and every slot, and checks nothing is left.
        func stopAll() throws {
            let leftovers = slipway.stopAgentAndListLeftovers()
            #expect(leftovers.isEmpty, "processes left behind: \(leftovers)")
        }
    }

    func start(settings: String = "", function: String = #function) throws -> Live {
        let workspace = try LocalServiceWorkspace.create(settings: settings, function: function)
        return Live(slipway: SlipwayProcess(workspace), workspace: workspace)
    }

    @Test func deployStartsTheReleaseBehindTheRouterAndSwitchesBlueGreen() throws {
        let live = try start()
        defer { try? live.stopAll() }
        let first = try FakeCloudWorkspace.version(live.workspace, "services/api")
        let deployed = try live.slipway("deploy-service", "api", "--env", "staging")
        #expect(deployed.status == 0, "\(deployed.stdout)\(deployed.stderr)")
        let port = try live.routePort()
        #expect(httpGet(port)?.body == "api \(first) blue\n")

        try LocalServiceWorkspace.newVersion(live.workspace, note: "two")
        let second = try FakeCloudWorkspace.version(live.workspace, "services/api")
        #expect(try live.slipway("deploy-service", "api", "--env", "staging").status == 0)
        #expect(httpGet(port)?.body == "api \(second) green\n", "the stable port now serves green")
        #expect(try live.routePort() == port, "the router's port is stable")

        #expect(try live.slipway("switch", "api", "--env", "staging").status == 0)
        #expect(httpGet(port)?.body == "api \(first) blue\n", "switching back is instant: blue was kept warm")
        let rollback = try live.slipway("rollback", "api", "--env", "staging", "--to", second)
        #expect(rollback.stdout.contains("still warm in the green slot"))
        #expect(httpGet(port)?.body == "api \(second) green\n")

        let status = try #require(try live.slipway.json("status", "--env", "staging") as? [[String: Any]])
        #expect(status.first?["live_color"] as? String == "green")
        #expect(status.first?["live_version"] as? String == second)
        let logs = try live.slipway("logs", "api", "--env", "staging", "--color", "blue")
        #expect(logs.stdout.contains("slipway: starting sh -c exec python3 server.py"))
    }

    /// One agent per workspace: a second one refuses to start while the first holds the lock,
    /// even if the first is too busy to answer a ping.
    @Test func aSecondAgentForTheSameWorkspaceRefusesToStart() throws {
        let live = try start()
        defer { try? live.stopAll() }
        #expect(try live.slipway("agent", "start").status == 0)
        let first = try live.agentStatus()["pid"] as? Int
        let second = try live.slipway(
            "agent", "serve", "--workspace", live.workspace.root.path, "--state", live.workspace.statePath.path)
        #expect(second.status == 1)
        #expect(second.stderr.contains("an agent already runs for this workspace"), "\(second.stderr)")
        #expect(try live.agentStatus()["pid"] as? Int == first, "the first agent still answers")
    }

    /// A ping is answered at once while the agent's work waits: here a slot start waiting for a
    /// request in flight on its colour (30 s) to drain.
    @Test func aPingIsAnsweredWhileTheAgentWaitsForADrain() async throws {
        let live = try start()
        defer { try? live.stopAll() }
        #expect(try live.slipway("deploy-service", "api", "--env", "staging").status == 0)
        let version = try FakeCloudWorkspace.version(live.workspace, "services/api")
        let port = try live.routePort()
        let agent = AgentClient(workspace: live.workspace.root, statePath: live.workspace.statePath)
        // From here on the live release's /health hangs for 30 s: one such request stays in flight.
        let release = live.workspace.root.appendingPathComponent(".slipway/releases/api/\(version)")
        try "on purpose\n".write(to: release.appendingPathComponent("HANG"), atomically: true, encoding: .utf8)
        let heldAnswered = Mutex<Date?>(nil)
        Thread.detachNewThread {
            _ = httpGet(port, "/health", timeout: 60)
            heldAnswered.withLock { $0 = Date() }
        }
        // The held request reaches the blue slot before its restart is asked for.
        try await Task.sleep(for: .seconds(1))
        let restart = Task {
            try await agent.send(.startSlot(
                component: "api", environment: "staging", color: .blue, version: "drain-test", command: ["sleep", "60"],
                directory: live.workspace.root.path, variables: [:]))
        }
        try await Task.sleep(for: .milliseconds(500))
        _ = try await agent.pid(timeout: 20)
        let pinged = Date()
        guard case .slotStarted = try await restart.value else { throw SlipwayError.failure("the slot did not start") }
        let drained = try #require(heldAnswered.withLock { $0 }, "the held request was answered")
        #expect(pinged < drained, "the ping was answered while the slot start waited for the drain")
    }

    /// A service with `run:` and no Makefile is deployed natively by deploy-all too.
    @Test func deployAllDeploysAServiceThatOnlyHasARunCommand() throws {
        let live = try start()
        defer { try? live.stopAll() }
        let deployed = try live.slipway("deploy-all", "--env", "staging")
        #expect(deployed.status == 0, "\(deployed.stdout)\(deployed.stderr)")
        #expect(httpGet(try live.routePort())?.status == 200)
    }

    /// health-check-all probes a natively run service through its router, as users reach it.
    @Test func healthCheckAllProbesTheLiveColourThroughTheRouter() throws {
        let live = try start()
        defer { try? live.stopAll() }
        #expect(try live.slipway("deploy-service", "api", "--env", "staging").status == 0)
        let checked = try live.slipway("health-check-all", "--env", "staging")
        #expect(checked.status == 0, "\(checked.stdout)\(checked.stderr)")
        let version = try FakeCloudWorkspace.version(live.workspace, "services/api")
        let release = live.workspace.root.appendingPathComponent(".slipway/releases/api/\(version)/UNHEALTHY")
        try "on purpose\n".write(to: release, atomically: true, encoding: .utf8)
        let failed = try live.slipway("health-check-all", "--env", "staging")
        #expect(failed.status == 1)
        #expect(failed.stdout.contains("answered 503"), "\(failed.stdout)")
        let rows = try #require(try live.slipway.json("status", "--env", "staging") as? [[String: Any]])
        #expect(rows.first?["health"] as? String == "unhealthy")
    }

    @Test func aReleaseThatNeverBecomesHealthyMovesNoTraffic() throws {
        let live = try start(settings: "")
        defer { try? live.stopAll() }
        let first = try FakeCloudWorkspace.version(live.workspace, "services/api")
        #expect(try live.slipway("deploy-service", "api", "--env", "staging").status == 0)
        try live.workspace.write(["services/api/slipway.yml": try live.workspace.read("services/api/slipway.yml")
            .replacingOccurrences(of: "attempts: 50", with: "attempts: 5")
            // Five checks a second apart: python3 is answering by the last one even on a busy machine.
            .replacingOccurrences(of: "interval: 100ms", with: "interval: 1s")])
        try LocalServiceWorkspace.newVersion(live.workspace, markers: ["UNHEALTHY"], note: "sick")
        let refused = try live.slipway("deploy-service", "api", "--env", "staging")
        #expect(refused.status == 1)
        #expect(refused.stdout.contains("never became healthy after 5 checks; last answer: 503 unhealthy on purpose"))
        // Why it failed also goes to stderr, in one line, for a script that reads only that.
        let said = refused.stderr.split(separator: "\n")
        #expect(said.count == 1 && said[0].hasPrefix("slipway: error: ") && said[0].contains(" failed (run r")
            && said[0].contains("never became healthy"), "\(refused.stderr)")
        #expect(httpGet(try live.routePort())?.body == "api \(first) blue\n", "the old release keeps serving")
        let green = try live.slots().first { $0["color"] as? String == "green" }
        #expect(green?["state"] as? String == "stopped", "the failed slot was stopped")
    }

    @Test func aRunCommandThatExitsAtOnceAndAHangingHealthPathFailClearly() throws {
        let live = try start(settings: "")
        defer { try? live.stopAll() }
        try live.workspace.write(["services/api/slipway.yml": try live.workspace.read("services/api/slipway.yml")
            .replacingOccurrences(of: "attempts: 50", with: "attempts: 10")])
        try LocalServiceWorkspace.newVersion(live.workspace, markers: ["EXIT"], note: "exits")
        let exits = try live.slipway("deploy-service", "api", "--env", "staging")
        #expect(exits.status == 1)
        #expect(exits.stdout.contains("never became healthy"))
        try LocalServiceWorkspace.newVersion(live.workspace, markers: ["HANG"], note: "hangs")
        let hangs = try live.slipway("deploy-service", "api", "--env", "staging")
        #expect(hangs.status == 1)
        #expect(hangs.stdout.contains("no answer within 1.0s"))
    }

    @Test func theLiveProcessKilledGives502ThenARestartThatIsRecorded() throws {
        let live = try start()
        defer { try? live.stopAll() }
        #expect(try live.slipway("deploy-service", "api", "--env", "staging").status == 0)
        let port = try live.routePort()
        let slot = try #require(try live.slots().first)
        let slotPID = try #require(slot["pid"] as? Int)
        _ = try live.workspace.run("/usr/bin/env", ["pkill", "-KILL", "-P", String(slotPID)])
        kill(Int32(slotPID), SIGKILL)
        let answers = (0..<3).compactMap { _ in httpGet(port, timeout: 5)?.status }
        #expect(answers.allSatisfy { $0 == 502 || $0 == 200 }, "\(answers): never a hang")
        #expect(eventually { httpGet(port)?.status == 200 }, "the slot was restarted")
        let events = try live.slipway("events", "--json").stdout
        #expect(events.contains(#""kind":"slot.crashed""#))
        #expect(try live.slots().first?["restarts"] as? Int == 1)
    }

    @Test func killingTheAgentKeepsServingAndANewAgentAdoptsTheProcesses() throws {
        let live = try start()
        defer { try? live.stopAll() }
        #expect(try live.slipway("deploy-service", "api", "--env", "staging").status == 0)
        let port = try live.routePort()
        let before = try live.agentStatus()
        let agentPID = try #require(before["pid"] as? Int)
        let routerPID = try #require(before["router_pid"] as? Int)
        let slotPID = try #require(try live.slots().first?["pid"] as? Int)
        kill(Int32(agentPID), SIGKILL)
        #expect((0..<20).allSatisfy { _ in httpGet(port)?.status == 200 }, "no request dropped without the agent")
        #expect(try live.slipway("switch", "api", "--env", "staging", "--to", "blue").status == 0, "a new agent starts on demand")
        let after = try live.agentStatus()
        #expect(after["pid"] as? Int != agentPID)
        #expect(after["router_pid"] as? Int == routerPID, "the running router was adopted")
        #expect(try live.slots().first?["pid"] as? Int == slotPID, "the running slot was adopted")
    }

    @Test func aConfiguredPortThatIsTakenIsAClearError() throws {
        let blocker = try PortBlocker()
        let live = try start(settings: "port: \(blocker.port)")
        defer { try? live.stopAll() }
        let result = try live.slipway("deploy-service", "api", "--env", "staging")
        #expect(result.status == 1)
        #expect(result.stdout.contains("\(blocker.port)"), "\(result.stdout)")
    }
}

/// Holds a loopback port taken for the length of a test.
final class PortBlocker {
    let descriptor: Int32
    let port: Int

    init() throws {
        let descriptor = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        self.descriptor = descriptor
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_port = 0
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        var length = socklen_t(MemoryLayout<sockaddr_in>.size)
        _ = withUnsafeMutablePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { pointer in
                bind(descriptor, pointer, length) == 0 && listen(descriptor, 1) == 0
                    && getsockname(descriptor, pointer, &length) == 0
            }
        }
        port = Int(UInt16(bigEndian: address.sin_port))
    }

    deinit {
        close(descriptor)
    }
}
