import Foundation
import SlipwayCore
import SlipwayTestSupport
import Testing

/// A service placed on hosts `a` and `b` (`min_healthy: 2`) on one shared store, each host a
/// real agent with its own checkout (b's a clone of a's), router and slots: what a deploy that
/// cannot stand and a rollback do on each host, seen through each host's own router.
@Suite(.postgresCluster, .serialized, .timeLimit(.minutes(10)))
struct HostFleetAgentsTests {
    typealias Host = SharedStoreHostsTests.Host

    /// Both hosts' agents up, with `v1` then `v2` deployed on both: each host's router serves `v2`
    /// in green, `v1` still warm in blue.
    struct Fleet {
        var a: Host
        var b: Host
        var v1: String
        var v2: String
        var portA: Int
        var portB: Int

        func stopLeavingNothing() {
            for host in [a, b] { #expect(host.slipway.stopAgentAndListLeftovers().isEmpty) }
        }

        /// `host.step_finished` events of `kind` so far, as `(host, outcome)`.
        func hostSteps(_ kind: HostStep.Kind) throws -> [(host: String, outcome: String)] {
            let events = try a.slipway("events", "--json", "--limit", "500").stdout.split(separator: "\n").compactMap {
                try JSONSerialization.jsonObject(with: Data($0.utf8)) as? [String: Any]
            }
            return events.compactMap { event in
                guard event["kind"] as? String == "host.step_finished", let details = event["payload"] as? [String: Any],
                      details["stage"] as? String == kind.rawValue, let host = details["origin"] as? String,
                      let outcome = details["outcome"] as? String else { return nil }
                return (host, outcome)
            }
        }
    }

    /// Hosts a and b with their agents up and `v1` live on both; `deploySecond` deploys `v2` too.
    /// `b`'s agent is started again with `bEnvironment` once `v1` is live on it (adopting its
    /// router and slots), so a fault hook of b's spares the first deploy. On failure the agents
    /// are stopped before throwing.
    static func fleet(
        deploySecond: Bool = true, bEnvironment: [String: String] = [:], function: String = #function
    ) async throws -> Fleet {
        let url = try await PostgresCluster.shared().createDatabase()
        let a = try SharedStoreHostsTests.host(
            "a", url: url, settings: "environments:\n  staging:\n    hosts: [a, b]\n    min_healthy: 2\n", function: function)
        let checkout = try TemporaryWorkspace(function: "\(function)-b")
        let cloned = try checkout.run("/usr/bin/env", ["git", "clone", "-q", a.workspace.root.path, checkout.root.path])
        guard cloned.status == 0 else { throw SlipwayError.failure("git clone for b: \(cloned.output)") }
        var slipway = SlipwayProcess(checkout)
        slipway.environment[ProcessIdentity.hostVariable] = "b"
        slipway.environment[StoreURL.variable] = url
        let b = Host(slipway: slipway, workspace: checkout)
        var fleet = Fleet(a: a, b: b, v1: "", v2: "", portA: 0, portB: 0)
        do {
            for host in [a, b] {
                let started = try host.slipway("agent", "start")
                guard started.status == 0 else { throw SlipwayError.failure("agent start: \(started.stderr)") }
            }
            fleet.v1 = try FakeCloudWorkspace.version(a.workspace, "services/api")
            let first = try a.slipway("deploy-service", "api", "--env", "staging")
            guard first.status == 0 else { throw SlipwayError.failure("deploy of v1: \(first.stdout)\(first.stderr)") }
            fleet.portA = try a.routePort()
            fleet.portB = try b.routePort()
            if !bEnvironment.isEmpty {
                let pid = try #require((try b.agentStatus()["pid"] as? Int).map(pid_t.init))
                kill(pid, SIGKILL)
                let restarted = try b.slipway("agent", "start", environment: bEnvironment)
                guard restarted.status == 0 else { throw SlipwayError.failure("agent start on b: \(restarted.stderr)") }
            }
            try LocalServiceWorkspace.newVersion(a.workspace, note: "two")
            fleet.v2 = try FakeCloudWorkspace.version(a.workspace, "services/api")
            _ = try b.workspace.git("pull", "-q", "--ff-only")
            if deploySecond {
                let second = try a.slipway("deploy-service", "api", "--env", "staging")
                guard second.status == 0 else { throw SlipwayError.failure("deploy of v2: \(second.stdout)\(second.stderr)") }
            }
        } catch {
            fleet.stopLeavingNothing()
            throw error
        }
        return fleet
    }

    /// `min_healthy` is both hosts: b's agent fails its switch after its prepare went well (the
    /// fault hook), so the deploy cannot stand; a, which switched, serves the release before
    /// again through its own router, and the run says so in its one-line error.
    @Test func aHostWhoseSwitchFailsHasTheHostThatSwitchedServeTheOldReleaseAgain() async throws {
        let refusal = "the green slot failed its health gate on purpose"
        let fleet = try await Self.fleet(deploySecond: false, bEnvironment: ["SLIPWAY_TEST_HOST_SWITCH_FAILS": refusal])
        defer { fleet.stopLeavingNothing() }
        #expect(httpGet(fleet.portA)?.body == "api \(fleet.v1) blue\n")
        #expect(httpGet(fleet.portB)?.body == "api \(fleet.v1) blue\n", "b's new agent adopted its router")

        let deployed = try fleet.a.slipway("deploy-service", "api", "--env", "staging")
        let said = deployed.stdout + deployed.stderr
        #expect(deployed.status == 1, "\(said)")
        #expect(said.contains("a: prepare done: \(fleet.v2) healthy in the green slot"), "\(said)")
        #expect(said.contains("b: prepare done: \(fleet.v2) healthy in the green slot"), "\(said)")
        #expect(said.contains("a: switch done: traffic on green"), "\(said)")
        #expect(said.contains("b: switch failed: \(refusal)"), "\(said)")
        #expect(said.contains("a: revert done: traffic back on blue"), "\(said)")
        let error = "traffic moved on 1 of 2 hosts, min_healthy is 2: switched a back to the previous release (b: \(refusal))"
        #expect(said.split(separator: "\n").contains { $0.contains(error) }, "one line says what happened: \(said)")
        #expect(httpGet(fleet.portA)?.body == "api \(fleet.v1) blue\n", "a serves the release before again, through its router")
        #expect(httpGet(fleet.portB)?.body == "api \(fleet.v1) blue\n", "b never switched")
        #expect(try fleet.hostSteps(.revert).map(\.host) == ["a"])
    }

    /// v1 still runs in blue on both hosts after v2 went live in green: the rollback is a switch
    /// on each host, health-gated by its agent, with nothing prepared again.
    @Test func aWarmRollbackAcrossHostsIsASwitchOnEachHost() async throws {
        let fleet = try await Self.fleet()
        defer { fleet.stopLeavingNothing() }
        #expect(httpGet(fleet.portA)?.body == "api \(fleet.v2) green\n")
        #expect(httpGet(fleet.portB)?.body == "api \(fleet.v2) green\n")
        let prepared = try fleet.hostSteps(.prepare).count

        let rolledBack = try fleet.a.slipway("rollback", "api", "--env", "staging")
        #expect(rolledBack.status == 0, "\(rolledBack.stdout)\(rolledBack.stderr)")
        #expect(rolledBack.stdout.contains("\(fleet.v1) is still warm in the blue slot: switching to it"), "\(rolledBack.stdout)")
        #expect(rolledBack.stdout.contains("a: switch done: traffic on blue"), "\(rolledBack.stdout)")
        #expect(rolledBack.stdout.contains("b: switch done: traffic on blue"), "\(rolledBack.stdout)")
        #expect(!rolledBack.stdout.contains("rebuilding"), "\(rolledBack.stdout)")
        #expect(httpGet(fleet.portA)?.body == "api \(fleet.v1) blue\n")
        #expect(httpGet(fleet.portB)?.body == "api \(fleet.v1) blue\n")
        #expect(try fleet.hostSteps(.prepare).count == prepared, "no host prepared anything for the rollback")
        let rows = try #require(try fleet.a.slipway.json("status", "--env", "staging", "--json") as? [[String: Any]])
        #expect(rows.first { $0["component"] as? String == "api" }?["live_version"] as? String == fleet.v1, "\(rows)")
    }

    /// b's blue slot (v1) is gone: the release is not warm on every host, so the rollback says
    /// why in one line and rebuilds it on each, as before.
    @Test func aRollbackAcrossHostsRebuildsWhenAHostLacksTheWarmSlot() async throws {
        let fleet = try await Self.fleet()
        defer { fleet.stopLeavingNothing() }
        let agentB = AgentClient(workspace: fleet.b.workspace.root, statePath: fleet.b.workspace.statePath)
        _ = try await agentB.send(.stopSlot(component: "api", environment: "staging", color: .blue))
        #expect(try fleet.b.runningColors() == ["green"])
        let prepared = try fleet.hostSteps(.prepare).count

        let rolledBack = try fleet.a.slipway("rollback", "api", "--env", "staging")
        #expect(rolledBack.status == 0, "\(rolledBack.stdout)\(rolledBack.stderr)")
        #expect(rolledBack.stdout.contains(
            "\(fleet.v1) is not warm on the hosts (b runs no \(fleet.v1) in its idle blue slot): rebuilding it on each"),
            "\(rolledBack.stdout)")
        #expect(!rolledBack.stdout.contains("is still warm"), "\(rolledBack.stdout)")
        #expect(httpGet(fleet.portA)?.body == "api \(fleet.v1) blue\n")
        #expect(httpGet(fleet.portB)?.body == "api \(fleet.v1) blue\n")
        #expect(try fleet.hostSteps(.prepare).count == prepared + 2, "each host prepared v1 again")
    }
}
