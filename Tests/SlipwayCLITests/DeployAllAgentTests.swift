import Foundation
import SlipwayCore
import SlipwayTestSupport
import Testing

/// `deploy-all` asks the agent for one deploy per component and follows them all: killing the
/// command stops none of them, the agent keeps them to the workspace's `parallelism`, Ctrl-C
/// cancels them all, and `--local` still deploys in the command's own process.
@Suite(.serialized) struct DeployAllAgentTests {
    /// The `run.requested` events of the store, oldest first.
    func requests(_ slipway: SlipwayProcess) throws -> [[String: Any]] {
        try events(slipway).filter { $0["kind"] as? String == "run.requested" }
    }

    func events(_ slipway: SlipwayProcess) throws -> [[String: Any]] {
        try slipway("events", "--json", "--limit", "500").stdout.split(separator: "\n").compactMap {
            try JSONSerialization.jsonObject(with: Data($0.utf8)) as? [String: Any]
        }.sorted { ($0["id"] as? Int ?? 0) < ($1["id"] as? Int ?? 0) }
    }

    /// The run's state; throws while the agent has not begun it (`runs show` knows only begun runs).
    func state(_ slipway: SlipwayProcess, run id: String) throws -> String? {
        (try slipway.json("runs", "show", id) as? [String: Any])?["state"] as? String
    }

    func stopAll(_ slipway: SlipwayProcess) {
        let leftovers = slipway.stopAgentAndListLeftovers()
        #expect(leftovers.isEmpty, "processes left behind: \(leftovers)")
    }

    @Test func deployAllAsksTheAgentForEachComponentAndFollowsThemAll() throws {
        let workspace = try FakeCloudWorkspace.create()
        let slipway = SlipwayProcess(workspace)
        defer { stopAll(slipway) }
        let deployed = try slipway("deploy-all", "--env", "staging")
        #expect(deployed.status == 0, "\(deployed.stdout)\(deployed.stderr)")
        #expect(deployed.stdout.contains("web | deploying web"), "\(deployed.stdout)")
        #expect(deployed.stdout.contains("accounts | deploying accounts"), "\(deployed.stdout)")
        #expect(deployed.stdout.contains("deploy-all: 2 deployed, 0 not\n"), "\(deployed.stdout)")
        #expect(slipway.agentIsRunning, "the agent executed them")

        let asked = try requests(slipway)
        #expect(Set(asked.compactMap { $0["component"] as? String }) == ["web", "accounts"])
        let groups = Set(asked.compactMap { ($0["payload"] as? [String: Any])?["request"] as? [String: Any] }.compactMap { $0["group"] as? String })
        #expect(groups.count == 1, "one deploy-all, one group: \(asked)")
        for request in asked {
            #expect(try state(slipway, run: request["run_id"] as? String ?? "") == "succeeded")
        }

        let again = try slipway("deploy-all", "--env", "staging")
        #expect(again.status == 0)
        #expect(again.stdout.contains("is already live in staging"), "\(again.stdout)")
        #expect(again.stdout.contains("deploy-all: 0 deployed, 0 not"), "\(again.stdout)")
        #expect(try requests(slipway).count == 2, "nothing live is asked again")
    }

    @Test func aDeployAllKilledRightAfterItAskedStillDeploysEveryComponent() throws {
        let workspace = try FakeCloudWorkspace.create()
        let slipway = SlipwayProcess(workspace)
        defer { stopAll(slipway) }
        let killed = try slipway("deploy-all", "--env", "staging", environment: ["SLIPWAY_CRASH_AT": "deploy-all-handed-over"])
        #expect(killed.status == SIGKILL, "the command died once it had asked: \(killed.stdout)\(killed.stderr)")
        #expect(!killed.stdout.contains("deploy-all:"), "\(killed.stdout)")

        let asked = try requests(slipway)
        #expect(Set(asked.compactMap { $0["component"] as? String }) == ["web", "accounts"])
        for request in asked {
            let id = try #require(request["run_id"] as? String)
            #expect(eventually(60) { (try? state(slipway, run: id)) == "succeeded" }, "the agent finished run \(id)")
            #expect(request["actor"] as? String == "tester", "the audit says who asked: \(request)")
            let payload = try #require(request["payload"] as? [String: Any])
            #expect(payload["origin"] as? String == "cli", "and from where: \(request)")
        }
        let status = try #require(try slipway.json("status", "--env", "staging") as? [[String: Any]])
        for (name, path) in [("web", "apps/web"), ("accounts", "services/accounts")] {
            let row = status.first { $0["component"] as? String == name }
            #expect(row?["live_version"] as? String == (try FakeCloudWorkspace.version(workspace, path)), "\(name): \(status)")
        }
    }

    /// With `parallelism: 1`, the agent runs one of the group at a time, also after the asker is gone.
    @Test func theAgentKeepsADeployAllToItsParallelismAfterTheAskerIsKilled() throws {
        let workspace = try FakeCloudWorkspace.create()
        try workspace.write(["slipway.yml": "parallelism: 1\n"])
        try workspace.commitAll("one at a time")
        let slipway = SlipwayProcess(workspace)
        defer { stopAll(slipway) }
        let hold = workspace.root.appendingPathComponent("hold")
        _ = FileManager.default.createFile(atPath: hold.path, contents: nil)
        let asker = try slipway.start(
            ["deploy-all", "--env", "staging"], environment: ["HOLD_FILE": hold.path], log: workspace.root.appendingPathComponent("all.log"))
        #expect(eventually(60) { FileManager.default.fileExists(atPath: hold.path + ".pid") }, "a deploy holds")
        kill(asker.processIdentifier, SIGKILL)
        asker.waitUntilExit()
        try FileManager.default.removeItem(at: hold)

        let asked = try requests(slipway)
        #expect(asked.count == 2)
        for request in asked {
            let id = try #require(request["run_id"] as? String)
            #expect(eventually(60) { (try? state(slipway, run: id)) == "succeeded" }, "run \(id)")
        }
        // One at a time: each run starts after the other finished, never while it runs.
        let lifecycle = try events(slipway).filter { ["run.started", "run.finished"].contains($0["kind"] as? String) }
            .map { "\($0["kind"] as? String ?? "?") \($0["component"] as? String ?? "?")" }
        #expect(lifecycle.count == 4, "\(lifecycle)")
        #expect(lifecycle.count == 4 && lifecycle[0].hasPrefix("run.started") && lifecycle[1] == lifecycle[0].replacingOccurrences(of: "started", with: "finished")
            && lifecycle[2].hasPrefix("run.started"), "\(lifecycle)")
    }

    @Test func ctrlCCancelsEveryRunOfTheDeployAll() throws {
        let workspace = try FakeCloudWorkspace.create()
        try workspace.write(["slipway.yml": "parallelism: 1\n"])
        try workspace.commitAll("one at a time")
        let slipway = SlipwayProcess(workspace)
        defer { stopAll(slipway) }
        let hold = workspace.root.appendingPathComponent("hold")
        _ = FileManager.default.createFile(atPath: hold.path, contents: nil)
        defer { try? FileManager.default.removeItem(at: hold) }
        let log = workspace.root.appendingPathComponent("all.log")
        let asker = try slipway.start(["deploy-all", "--env", "staging"], environment: ["HOLD_FILE": hold.path], log: log)
        #expect(eventually(60) { FileManager.default.fileExists(atPath: hold.path + ".pid") }, "a deploy holds")
        kill(asker.processIdentifier, SIGINT)
        asker.waitUntilExit()
        let output = try workspace.read("all.log")
        #expect(asker.terminationStatus == 1, "\(output)")
        #expect(output.contains("deploy-all: 0 deployed, 2 not (accounts, web)"), "\(output)")
        #expect(output.contains("cancelled before its run began"), "the one waiting for its slot never began: \(output)")
        let runs = try #require(try slipway.json("runs") as? [[String: Any]])
        #expect(runs.count == 1 && runs.allSatisfy { $0["state"] as? String == "cancelled" }, "the one that began was cancelled: \(runs)")
    }

    @Test func localDeploysEveryComponentInTheCommandsOwnProcess() throws {
        let workspace = try FakeCloudWorkspace.create()
        let slipway = SlipwayProcess(workspace)
        defer { stopAll(slipway) }
        let deployed = try slipway("deploy-all", "--env", "staging", "--local")
        #expect(deployed.status == 0, "\(deployed.stdout)\(deployed.stderr)")
        #expect(deployed.stdout.contains("web | deploying web"), "\(deployed.stdout)")
        #expect(deployed.stdout.contains("deploy-all: 2 deployed, 0 not"), "\(deployed.stdout)")
        try workspace.write(["apps/web/app.txt": "web-2"])
        try workspace.commitAll("two")
        let variable = try slipway("deploy-all", "--env", "staging", environment: ["SLIPWAY_NO_AGENT": "1"])
        #expect(variable.status == 0, "\(variable.stdout)\(variable.stderr)")
        #expect(variable.stdout.contains("deploy-all: 1 deployed, 0 not"), "\(variable.stdout)")
        #expect(!slipway.agentIsRunning, "no agent was started")
        #expect(try requests(slipway).isEmpty, "nothing was asked of an agent")
    }
}
