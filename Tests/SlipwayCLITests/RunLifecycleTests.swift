import Foundation
import SlipwayTestSupport
import Testing

@Suite struct RunLifecycleTests {
    /// Starts a deploy that waits while `hold` exists, and returns once its run is recorded as running.
    func startHeldDeploy(_ slipway: SlipwayProcess, _ workspace: TemporaryWorkspace, hold: URL) throws -> (Process, String) {
        _ = FileManager.default.createFile(atPath: hold.path, contents: nil)
        let process = try slipway.start(
            ["deploy-service", "accounts", "--env", "staging"], environment: ["HOLD_FILE": hold.path],
            log: workspace.root.appendingPathComponent("held.log"))
        var runID = ""
        let started = try eventually {
            let runs = try slipway.json("runs") as? [[String: Any]] ?? []
            guard let running = runs.first(where: { $0["state"] as? String == "running" }) else { return false }
            runID = running["id"] as? String ?? ""
            return FileManager.default.fileExists(atPath: hold.path + ".pid")
        }
        #expect(started, "\((try? workspace.read("held.log")) ?? "no log")")
        return (process, runID)
    }

    func shellPID(_ hold: URL) -> Int32? {
        (try? String(contentsOfFile: hold.path + ".pid", encoding: .utf8)).flatMap { Int32($0.trimmingCharacters(in: .whitespacesAndNewlines)) }
    }

    @Test func aSecondConcurrentDeployIsRefusedWithTheHolder() throws {
        let workspace = try FakeCloudWorkspace.create()
        let slipway = SlipwayProcess(workspace)
        let hold = workspace.root.appendingPathComponent("hold")
        let (first, runID) = try startHeldDeploy(slipway, workspace, hold: hold)
        defer { try? FileManager.default.removeItem(at: hold); first.waitUntilExit() }

        let second = try slipway("deploy-service", "accounts", "--env", "staging", "--force", "--no-wait")
        #expect(second.status == 1)
        #expect(second.stderr.contains("deploy lock for accounts in staging is held by run \(runID) of tester"))
        #expect(try slipway("events", "--json").stdout.contains(#""kind":"deploy.refused""#), "the refusal is audited")
        #expect(try slipway("deploy-service", "accounts", "--env", "production").status == 0, "other environments are not locked")

        try FileManager.default.removeItem(at: hold)
        first.waitUntilExit()
        #expect(first.terminationStatus == 0)
    }

    /// The run belongs to the agent: killing the command that asked for it leaves it running to its end.
    @Test func aCommandKilledWithSIGKILLLeavesItsRunToTheAgent() throws {
        let workspace = try FakeCloudWorkspace.create()
        let slipway = SlipwayProcess(workspace)
        defer { _ = slipway.stopAgentAndListLeftovers() }
        let hold = workspace.root.appendingPathComponent("hold")
        let (process, runID) = try startHeldDeploy(slipway, workspace, hold: hold)
        kill(process.processIdentifier, SIGKILL)
        process.waitUntilExit()
        let runs = try #require(try slipway.json("runs") as? [[String: Any]])
        #expect(runs.first { $0["id"] as? String == runID }?["state"] as? String == "running")

        try FileManager.default.removeItem(at: hold)
        #expect(try eventually(30) {
            let runs = try slipway.json("runs") as? [[String: Any]] ?? []
            return runs.first { $0["id"] as? String == runID }?["state"] as? String == "succeeded"
        })
        let again = try slipway("deploy-service", "accounts", "--env", "staging", "--force")
        #expect(again.status == 0, "\(again.stderr)")
    }

    /// An agent killed in a stage that is not safe to repeat (a Makefile's deploy goal): the next
    /// agent records the run as interrupted, and the command following it says why before exiting 1.
    @Test func aFollowedRunEndedByTheNextAgentSaysWhyItWasInterrupted() throws {
        let workspace = try FakeCloudWorkspace.create()
        let slipway = SlipwayProcess(workspace)
        defer {
            let leftovers = slipway.stopAgentAndListLeftovers()
            #expect(leftovers.isEmpty, "processes left behind: \(leftovers)")
        }
        let hold = workspace.root.appendingPathComponent("hold")
        let (process, runID) = try startHeldDeploy(slipway, workspace, hold: hold)
        let agent = try #require(try slipway.json("agent", "status") as? [String: Any])
        let agentPID = try #require(agent["pid"] as? Int)
        kill(Int32(agentPID), SIGKILL)
        // The recipe outlives its agent; let it end so nothing is left behind.
        try FileManager.default.removeItem(at: hold)
        if let pid = shellPID(hold) { #expect(eventually { kill(pid, 0) != 0 }) }
        process.waitUntilExit()

        let log = try workspace.read("held.log")
        #expect(process.terminationStatus == 1, "\(log)")
        let ending = "run \(runID): interrupted (the agent executing it (pid \(agentPID)) died"
        #expect(log.split(separator: "\n").contains { $0.hasPrefix(ending) }, "\(log)")
        let run = try #require(try slipway.json("runs", "show", runID) as? [String: Any])
        #expect(run["state"] as? String == "interrupted")
    }

    /// `--local` keeps the old way for CI machines that want no agent: the run dies with its process.
    @Test func aLocalRunKilledWithSIGKILLIsInterruptedAndItsLockFreed() throws {
        let workspace = try FakeCloudWorkspace.create()
        let slipway = SlipwayProcess(workspace)
        let hold = workspace.root.appendingPathComponent("hold")
        _ = FileManager.default.createFile(atPath: hold.path, contents: nil)
        let process = try slipway.start(
            ["deploy-service", "accounts", "--env", "staging", "--local"], environment: ["HOLD_FILE": hold.path],
            log: workspace.root.appendingPathComponent("held.log"))
        var runID = ""
        #expect(try eventually {
            let runs = try slipway.json("runs") as? [[String: Any]] ?? []
            runID = runs.first { $0["state"] as? String == "running" }?["id"] as? String ?? ""
            return !runID.isEmpty && FileManager.default.fileExists(atPath: hold.path + ".pid")
        })
        kill(process.processIdentifier, SIGKILL)
        process.waitUntilExit()
        // The recipe lives in its own process group; let it end so nothing is left behind.
        try FileManager.default.removeItem(at: hold)
        if let pid = shellPID(hold) { #expect(eventually { kill(pid, 0) != 0 }) }

        let runs = try #require(try slipway.json("runs") as? [[String: Any]])
        let run = try #require(runs.first { $0["id"] as? String == runID })
        #expect(run["state"] as? String == "interrupted")
        let again = try slipway("deploy-service", "accounts", "--env", "staging", "--local")
        #expect(again.status == 0, "\(again.stderr)")
    }

    @Test func cancelStopsARunCleanlyAndRecordsIt() throws {
        let workspace = try FakeCloudWorkspace.create()
        let slipway = SlipwayProcess(workspace)
        let hold = workspace.root.appendingPathComponent("hold")
        let (process, runID) = try startHeldDeploy(slipway, workspace, hold: hold)
        defer { try? FileManager.default.removeItem(at: hold) }
        let pid = shellPID(hold)

        let cancel = try slipway("cancel", runID)
        #expect(cancel.status == 0, "\(cancel.stderr)")
        #expect(cancel.stdout.contains("run \(runID): cancelled"))
        process.waitUntilExit()
        #expect(process.terminationStatus == 1)
        if let pid { #expect(eventually { kill(pid, 0) != 0 }, "the recipe's shell was stopped") }

        let shown = try #require(try slipway.json("runs", "show", runID) as? [String: Any])
        #expect(shown["state"] as? String == "cancelled")
        let events = try slipway("events", "--json").stdout
        #expect(events.contains("run.cancel_requested"))
        #expect(try slipway("cancel", runID).status == 1, "a finished run cannot be cancelled")
        #expect(try slipway("deploy-service", "accounts", "--env", "staging").status == 0, "the lock was released")
    }
}
