import Foundation
import SlipwayCore
import SlipwayTestSupport
import Testing

/// Runs are requests executed by the agent: whoever asked can die, the agent can die, and the
/// run still reaches its proper end, with one run at a time moving a component's traffic.
@Suite(.serialized) struct DurableRunTests {
    struct Live {
        var slipway: SlipwayProcess
        var workspace: TemporaryWorkspace

        func agentStatus() throws -> [String: Any] {
            try #require(try slipway.json("agent", "status") as? [String: Any])
        }

        func route() throws -> (port: Int, live: String, weights: [String: Int]) {
            let route = try #require((try agentStatus()["routes"] as? [[String: Any]])?.first)
            let port = try #require(Int((route["url"] as? String)?.split(separator: ":").last ?? ""))
            return (port, route["live_color"] as? String ?? "", route["weights"] as? [String: Int] ?? [:])
        }

        func run(_ id: String) throws -> [String: Any] {
            try #require(try slipway.json("runs", "show", id) as? [String: Any])
        }

        func newestRun() throws -> [String: Any]? {
            (try slipway.json("runs") as? [[String: Any]])?.first
        }

        func status() throws -> [String: Any] {
            try #require((try slipway.json("status", "--env", "staging") as? [[String: Any]])?.first)
        }

        /// Whether the run has begun `stage`.
        func stageStarted(_ stage: String, runID: String) throws -> Bool {
            try slipway("events", "--json", "--limit", "500").stdout.split(separator: "\n").contains { line in
                line.contains(#""kind":"stage.started""#) && line.contains(#""stage":"\#(stage)""#) && line.contains(runID)
            }
        }

        func agentPID() throws -> Int32 {
            Int32(try #require(try agentStatus()["pid"] as? Int))
        }

        func stopAll() {
            let leftovers = slipway.stopAgentAndListLeftovers()
            #expect(leftovers.isEmpty, "processes left behind: \(leftovers)")
        }
    }

    /// A workspace whose service is watched for `postPromotion` after each switch.
    func start(postPromotion: String = "1s") throws -> Live {
        let workspace = try LocalServiceWorkspace.create()
        try workspace.write(["services/api/slipway.yml": try workspace.read("services/api/slipway.yml")
            .replacingOccurrences(of: "post_promotion: 1s", with: "post_promotion: \(postPromotion)")])
        try workspace.commitAll("watch for \(postPromotion)")
        return Live(slipway: SlipwayProcess(workspace), workspace: workspace)
    }

    /// Starts a deploy of a new version in the background and returns once its run is running.
    func startDeploy(_ live: Live, note: String) throws -> (process: Process, runID: String) {
        try LocalServiceWorkspace.newVersion(live.workspace, note: note)
        let process = try live.slipway.start(
            ["deploy-service", "api", "--env", "staging"], log: live.workspace.root.appendingPathComponent("\(note).log"))
        var runID = ""
        #expect(try eventually {
            guard let run = try live.newestRun(), run["state"] as? String == "running", run["kind"] as? String == "deploy" else {
                return false
            }
            runID = run["id"] as? String ?? ""
            return true
        })
        return (process, runID)
    }

    @Test func aCLIKilledRightAfterItAskedStillFinishesTheRun() throws {
        let live = try start()
        defer { live.stopAll() }
        #expect(try live.slipway("deploy-service", "api", "--env", "staging").status == 0)
        let (process, runID) = try startDeploy(live, note: "two")
        kill(process.processIdentifier, SIGKILL)
        process.waitUntilExit()

        #expect(try eventually(60) { try live.run(runID)["state"] as? String == "succeeded" }, "the agent finished the run")
        let version = try FakeCloudWorkspace.version(live.workspace, "services/api")
        #expect(try live.status()["live_version"] as? String == version)
        #expect(httpGet(try live.route().port)?.body == "api \(version) green\n")
        let requested = try live.slipway("events", "--json", "--limit", "500").stdout.split(separator: "\n")
            .first { $0.contains(#""kind":"run.requested""#) && $0.contains(runID) }
        #expect(requested?.contains(#""actor":"tester""#) == true, "the audit says who asked: \(requested ?? "none")")
        #expect(requested?.contains(#""origin":"cli""#) == true, "and from where")
    }

    @Test func anAgentKilledInThePostPromotionWindowIsTakenOverAndTheRunSucceeds() throws {
        let live = try start(postPromotion: "4s")
        defer { live.stopAll() }
        #expect(try live.slipway("deploy-service", "api", "--env", "staging").status == 0)
        let (process, runID) = try startDeploy(live, note: "two")
        #expect(try eventually(60) { try live.stageStarted("post-promotion", runID: runID) })
        let agent = try live.agentPID()
        kill(agent, SIGKILL)

        // The CLI following the run notices and starts a new agent, which takes the run over.
        process.waitUntilExit()
        let log = try live.workspace.read("two.log")
        #expect(process.terminationStatus == 0, "\(log)")
        #expect(log.contains("resumed by agent"), "\(log)")
        #expect(try live.run(runID)["state"] as? String == "succeeded")
        #expect(try live.agentPID() != agent)
        let route = try live.route()
        #expect(route.live == "green" && route.weights["green"] == 100)
        #expect(try live.status()["live_color"] as? String == "green", "status and the router agree")
    }

    @Test func aWatchWhoseDeadlinePassedWithNoAgentEndsWithTrafficOnTheLastGoodColour() throws {
        let live = try start(postPromotion: "3s")
        defer { live.stopAll() }
        #expect(try live.slipway("deploy-service", "api", "--env", "staging").status == 0)
        let first = try FakeCloudWorkspace.version(live.workspace, "services/api")
        let (process, runID) = try startDeploy(live, note: "two")
        #expect(try eventually(60) { try live.stageStarted("post-promotion", runID: runID) })
        // Nobody is left to notice: the CLI and the agent die together, and the window passes.
        kill(process.processIdentifier, SIGKILL)
        kill(try live.agentPID(), SIGKILL)
        process.waitUntilExit()
        Thread.sleep(forTimeInterval: 4)

        #expect(try live.slipway("agent", "start").status == 0)
        #expect(try eventually(60) { try live.run(runID)["state"] as? String == "failed" })
        #expect((try live.run(runID)["reason"] as? String)?.contains("passed while no agent watched") == true)
        let route = try live.route()
        #expect(route.live == "blue" && route.weights["blue"] == 100, "traffic back on the last good colour")
        #expect(httpGet(route.port)?.body == "api \(first) blue\n")
        #expect(try live.status()["live_color"] as? String == "blue")
    }

    @Test func aSwitchDuringAnotherRunsWatchWaitsItsTurnOrIsRefusedWithNoWait() throws {
        let live = try start(postPromotion: "4s")
        defer { live.stopAll() }
        #expect(try live.slipway("deploy-service", "api", "--env", "staging").status == 0)
        let (process, runID) = try startDeploy(live, note: "two")
        #expect(try eventually(60) { try live.stageStarted("post-promotion", runID: runID) })

        let refused = try live.slipway("switch", "api", "--env", "staging", "--no-wait")
        #expect(refused.status == 1)
        #expect(refused.stderr.contains("is held by run \(runID)"), "\(refused.stderr)")

        let waited = try live.slipway("switch", "api", "--env", "staging")
        #expect(waited.status == 0, "\(waited.stdout)\(waited.stderr)")
        process.waitUntilExit()
        #expect(try live.run(runID)["state"] as? String == "succeeded", "the deploy's watch was not cut short")
        let events = try live.slipway("events", "--json", "--limit", "500").stdout.split(separator: "\n")
        let deployEnded = try #require(events.firstIndex { $0.contains(#""kind":"run.finished""#) && $0.contains(runID) })
        let switched = try #require(events.lastIndex { $0.contains(#""kind":"traffic.switched""#) })
        // Oldest first: the switch came after the deploy had ended.
        #expect(switched > deployEnded)
        let route = try live.route()
        #expect(route.live == "blue" && route.weights["blue"] == 100)
        #expect(try live.status()["live_color"] as? String == "blue", "the record follows the last confirmed switch")
    }

    @Test func aFailingLiveReleaseShowsAsUnhealthyWithNobodyDeploying() throws {
        let live = try start()
        defer { live.stopAll() }
        #expect(try live.slipway("deploy-service", "api", "--env", "staging").status == 0)
        #expect(try live.status()["health"] as? String == "healthy")
        let version = try FakeCloudWorkspace.version(live.workspace, "services/api")
        let marker = live.workspace.root.appendingPathComponent(".slipway/releases/api/\(version)/UNHEALTHY")
        try "on purpose\n".write(to: marker, atomically: true, encoding: .utf8)
        // Two failed probes at a 100 ms interval; the bound is generous for a busy machine.
        #expect(try eventually(15) { try live.status()["health"] as? String == "unhealthy" })
        try FileManager.default.removeItem(at: marker)
        #expect(try eventually(15) { try live.status()["health"] as? String == "healthy" })
    }

    /// A console killed right after it recorded its request, before any agent had it: the next
    /// agent takes the request over and runs it, with who asked and from where.
    @Test func aRequestWhoseAskerDiedBeforeHandingItOverIsRunByTheNextAgent() throws {
        let live = try start()
        defer { live.stopAll() }
        #expect(try live.slipway("deploy-service", "api", "--env", "staging").status == 0)
        try LocalServiceWorkspace.newVersion(live.workspace, note: "two")
        let store = try SQLiteStore(path: live.workspace.statePath, actor: "ana")
        let request = try store.record(
            .deploy(.init(component: "api", kind: .service, environment: "staging", version: nil, force: false)), origin: "console")

        #expect(try live.slipway("agent", "start").status == 0)
        #expect(eventually(60) { (try? live.run(request.id))?["state"] as? String == "succeeded" })
        let run = try live.run(request.id)
        #expect(run["actor"] as? String == "ana" && run["origin"] as? String == "console", "\(run)")
        let version = try FakeCloudWorkspace.version(live.workspace, "services/api")
        #expect(httpGet(try live.route().port)?.body == "api \(version) green\n")
    }

    /// `agent stop` takes the fleet down and says so (health `stale`, not a green mark from before);
    /// `agent start` brings every release that had traffic back, as it was.
    @Test func agentStopShowsStaleHealthAndAgentStartRestoresTheFleet() throws {
        let live = try start()
        defer { live.stopAll() }
        #expect(try live.slipway("deploy-service", "api", "--env", "staging").status == 0)
        let version = try FakeCloudWorkspace.version(live.workspace, "services/api")
        let port = try live.route().port
        #expect(try live.slipway("agent", "stop").status == 0)
        let stopped = try live.status()
        #expect(stopped["health"] as? String == "stale", "\(stopped)")
        #expect(stopped["health_checked_at"] is String)
        #expect(httpGet(port, timeout: 2) == nil, "nothing serves while the agent is stopped")

        #expect(try live.slipway("agent", "start").status == 0)
        #expect(eventually(30) { httpGet(port)?.body == "api \(version) blue\n" }, "the live release is back on its port")
        #expect(try eventually(30) { try live.status()["health"] as? String == "healthy" })
    }
}
