import Foundation
@testable import SlipwayCore
import SlipwayTestSupport
import Synchronization
import Testing

/// The run's half of a deploy to several hosts, against a real store, with the test playing the
/// hosts' agents: it claims each host's steps and says how they ended.
struct HostFleetDeploymentTests {
    struct Fleet {
        /// Kept for the test's length: the folder goes with it.
        var workspace: TemporaryWorkspace
        var engine: Engine
        var target: HostFleetDeployment
    }

    func fleet(_ placement: HostPlacement) async throws -> Fleet {
        let workspace = try TemporaryWorkspace(files: [
            "services/api/slipway.yml": "target: local\nrun: exec ./serve\n",
        ])
        let engine = try await Engine.open(workspace: workspace.root, state: workspace.statePath, output: { _ in })
        let component = try engine.workspace.component(named: "api")
        var target = HostFleetDeployment(engine: engine, component: component, environment: "production", placement: placement)
        target.pollInterval = 0.02
        return Fleet(workspace: workspace, engine: engine, target: target)
    }

    final class Lines: Sendable {
        let written = Mutex<[String]>([])
    }

    /// Runs `stage` in a task, collecting its lines.
    func run(_ stage: RunPlan.Stage) -> (Task<Result<Void, SlipwayError>, Never>, Lines) {
        let lines = Lines()
        let log = StageLog(cancellation: CancellationFlag()) { line in lines.written.withLock { $0.append(line) } }
        guard case .native(_, let perform) = stage.work else { Issue.record("not native"); fatalError() }
        let task = Task { () -> Result<Void, SlipwayError> in
            do throws(SlipwayError) {
                try await perform(log)
                return .success(())
            } catch {
                return .failure(error)
            }
        }
        return (task, lines)
    }

    /// Plays `host`'s agent once: claims its steps and ends each as `state`.
    func play(_ host: String, in store: any EventStore, _ state: HostStep.State = .done) async throws -> [HostStep] {
        for _ in 0..<500 {
            let claimed = try store.claimHostSteps(of: host)
            if !claimed.isEmpty {
                for step in claimed { try store.finish(step.finished(state, detail: "played")) }
                return claimed
            }
            try await Task.sleep(for: .milliseconds(20))
        }
        Issue.record("no step for \(host)")
        return []
    }

    @Test func oneByOneSwitchesAskTheNextHostOnlyAfterThePreviousOneSwitched() async throws {
        let fleet = try await fleet(HostPlacement(hosts: ["web-1", "web-2", "web-3"], switchOrder: .oneByOne))
        let store = fleet.engine.store
        let now = Date()
        try store.add(["web-1", "web-2", "web-3"].map { host in
            HostStep(runID: "r1", host: host, kind: .prepare, component: "api", environment: "production", version: "v2",
                     color: .green, requestedAt: now).finished(.done, detail: "ready")
        })
        let (task, _) = run(fleet.target.switchStage(runID: "r1", version: "v2", color: nil))
        for host in ["web-1", "web-2", "web-3"] {
            let asked = try await play(host, in: store)
            #expect(asked.map(\.kind) == [.switch])
        }
        try await task.value.get()
        // The stage may ask the next host as soon as the previous one's end is recorded, so the
        // order shows in the steps' times, not in a count read while the stage goes on.
        let switches = try store.hostSteps(ofRun: "r1").filter { $0.kind == .switch }.sorted { $0.requestedAt < $1.requestedAt }
        #expect(switches.map(\.host) == ["web-1", "web-2", "web-3"])
        for (previous, next) in zip(switches, switches.dropFirst()) {
            #expect(next.requestedAt >= previous.updatedAt, "\(next.host) was asked only after \(previous.host) switched")
        }
    }

    @Test func aPrepareWithTooFewHealthyHostsStopsTheReadyOnesAndNamesTheOthers() async throws {
        let fleet = try await fleet(HostPlacement(hosts: ["web-1", "web-2", "web-3"], minHealthy: 2))
        let store = fleet.engine.store
        let (task, lines) = run(fleet.target.prepareStage(version: "v2", color: .green, runID: "r1"))
        _ = try await play("web-1", in: store)
        _ = try await play("web-2", in: store, .failed)
        _ = try await play("web-3", in: store, .failed)
        let aborted = try await play("web-1", in: store)
        #expect(aborted.map(\.kind) == [.abort], "web-1's prepared slot is stopped")
        let result = await task.value
        guard case .failure(let error) = result else { Issue.record("the stage succeeded"); return }
        #expect(error.message == "1 of 3 hosts healthy, min_healthy is 2: no traffic moved (web-2: played; web-3: played)")
        #expect(lines.written.withLock { $0 }.contains("web-2: prepare failed: played"))
    }

    /// A deploy that cannot stand (too few hosts switched) leaves no host on the new release: the
    /// hosts that did switch are asked to give their traffic back to the colour they had.
    @Test(arguments: [HostPlacement.SwitchOrder.together, .oneByOne])
    func tooFewSwitchedHostsSwitchTheOnesThatDidBack(order: HostPlacement.SwitchOrder) async throws {
        let fleet = try await fleet(HostPlacement(hosts: ["web-1", "web-2"], switchOrder: order))
        let store = fleet.engine.store
        let now = Date()
        try store.add(["web-1", "web-2"].map { host in
            HostStep(runID: "r1", host: host, kind: .prepare, component: "api", environment: "production", version: "v2",
                     color: .green, requestedAt: now).finished(.done, detail: "ready")
        })
        let (task, lines) = run(fleet.target.switchStage(runID: "r1", version: "v2", color: nil))
        #expect(try await play("web-1", in: store).map(\.kind) == [.switch])
        #expect(try await play("web-2", in: store, .failed).map(\.kind) == [.switch])
        let reverted = try await play("web-1", in: store)
        #expect(reverted.map(\.kind) == [.revert])
        #expect(reverted.map(\.color) == [.blue], "back to the colour web-1 served before the green it switched to")
        let result = await task.value
        guard case .failure(let error) = result else { Issue.record("the stage succeeded"); return }
        #expect(error.message == "traffic moved on 1 of 2 hosts, min_healthy is 2: switched web-1 back to the previous release (web-2: played)")
        let written = lines.written.withLock { $0 }
        #expect(written.contains("too few hosts switched: switching web-1 back"), "\(written)")
        #expect(written.contains("web-1: revert done: played"), "\(written)")
        #expect(try store.hostSteps(ofRun: "r1").filter { $0.host == "web-2" }.map(\.kind) == [.prepare, .switch], "web-2 never switched")
    }

    @Test func togetherAsksEveryReadyHostAtOnceAndSkipsTheOnesThatWereNotReady() async throws {
        let fleet = try await fleet(HostPlacement(hosts: ["web-1", "web-2", "web-3"], minHealthy: 2))
        let store = fleet.engine.store
        let now = Date()
        try store.add([
            HostStep(runID: "r1", host: "web-1", kind: .prepare, component: "api", environment: "production", version: "v2",
                     color: .green, requestedAt: now).finished(.done, detail: "ready", color: .blue),
            HostStep(runID: "r1", host: "web-2", kind: .prepare, component: "api", environment: "production", version: "v2",
                     color: .green, requestedAt: now).finished(.done, detail: "ready"),
            HostStep(runID: "r1", host: "web-3", kind: .prepare, component: "api", environment: "production", version: "v2",
                     color: .green, requestedAt: now).finished(.failed, detail: "host down"),
        ])
        let (task, _) = run(fleet.target.switchStage(runID: "r1", version: "v2", color: nil))
        _ = try await play("web-2", in: store)
        let switches = try store.hostSteps(ofRun: "r1").filter { $0.kind == .switch }
        #expect(Set(switches.map(\.host)) == ["web-1", "web-2"], "both ready hosts asked at once, not web-3")
        #expect(switches.first { $0.host == "web-1" }?.color == .blue, "each host switches to the colour it prepared")
        _ = try await play("web-1", in: store)
        try await task.value.get()
    }

    @Test func aHostTheRegistryKnowsDownIsCalledDownAtOnceAndAnUnknownOneAfterItsClaimTime() {
        let start = Date(timeIntervalSince1970: 1_750_000_000)
        let step = HostStep(runID: "r1", host: "web-3", kind: .prepare, component: "api", environment: "production",
                            version: "v2", color: .green, requestedAt: start)
        let up = HostRecord(host: "web-3", pid: 7, pidStartTime: "1", version: "dev", startedAt: start, lastSeen: start)
        #expect(HostFleetDeployment.downReason(of: step, known: up, at: start + 1) == nil, "up, and the step just asked")
        #expect(HostFleetDeployment.downReason(of: step, known: nil, at: start + 1) == nil, "unknown: it may still take it")
        #expect(HostFleetDeployment.downReason(of: step, known: nil, at: start + 11) == "its agent did not take the step within 10 s")
        #expect(HostFleetDeployment.downReason(of: step, known: up, at: start + 16) == "its agent was last seen 16 s ago")
        var stopped = up
        stopped.stoppedAt = start
        #expect(HostFleetDeployment.downReason(of: step, known: stopped, at: start + 1) == "its agent stopped at 2025-06-15T15:06:40Z")
    }

    /// A rollback across hosts is a switch only where each up host of the placement runs the
    /// release in the same idle colour, and enough of them do; otherwise it names the host in the way.
    @Test func aReleaseIsWarmOnTheHostsOnlyWhenEveryUpHostRunsItInTheSameIdleColour() {
        let now = Date(timeIntervalSince1970: 1_750_000_000)
        let placement = HostPlacement(hosts: ["web-1", "web-2", "web-3"], minHealthy: 2)
        let up = ["web-1", "web-2", "web-3"].map { HostRecord(host: $0, pid: 7, pidStartTime: "1", version: "dev", startedAt: now, lastSeen: now) }
        func route(_ host: String, live: String) -> RouteRecord {
            RouteRecord(component: "api", environment: "production", host: "127.0.0.1", port: 9000, liveColor: live,
                        greenWeight: live == "green" ? 100 : 0, hostName: host)
        }
        func slot(_ host: String, _ color: String, _ version: String) -> SlotRecord {
            SlotRecord(component: "api", environment: "production", color: color, version: version, port: 9001, pid: 8, pidStartTime: "1",
                       host: host, directory: "/", command: "serve", variables: "", logPath: "/dev/null", state: .running, restarts: 0,
                       startedAt: now)
        }
        let routes = ["web-1", "web-2", "web-3"].map { route($0, live: "green") }
        let slots = ["web-1", "web-2", "web-3"].flatMap { [slot($0, "green", "v2"), slot($0, "blue", "v1")] }
        func warmth(hosts: [HostRecord] = up, routes: [RouteRecord] = routes, slots: [SlotRecord] = slots) -> HostFleetDeployment.Warmth {
            HostFleetDeployment.warmth(of: "v1", component: "api", environment: "production", placement: placement,
                                       hosts: hosts, routes: routes, slots: slots, at: now + 1)
        }
        #expect(warmth() == .warm(.blue))
        #expect(warmth(hosts: Array(up.prefix(2))) == .warm(.blue), "web-3, down, is left out: its switch fails as down")
        #expect(warmth(slots: slots.filter { !($0.host == "web-2" && $0.color == "blue") })
            == .cold("web-2 runs no v1 in its idle blue slot"))
        #expect(warmth(routes: [route("web-1", live: "green"), route("web-2", live: "blue"), route("web-3", live: "green")],
                       slots: slots + [slot("web-2", "green", "v1")])
            == .cold("its idle colour differs from host to host: web-1 blue, web-2 green, web-3 blue"))
        #expect(warmth(hosts: Array(up.prefix(1))) == .cold("1 of 3 hosts are up with it, min_healthy is 2"))
        #expect(warmth(routes: Array(routes.prefix(2))) == .cold("web-3 sends no traffic of api to a colour"))
    }
}
