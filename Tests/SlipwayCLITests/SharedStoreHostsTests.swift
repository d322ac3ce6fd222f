import Foundation
import SlipwayCore
import SlipwayTestSupport
import Testing

/// Two hosts on one shared store, as two agents on one machine (`SLIPWAY_HOST=a` and `b`, each
/// with its own checkout and state folder): each deploys the same local component with its own
/// router and slots, and neither's records overwrite the other's.
@Suite(.postgresCluster, .serialized, .timeLimit(.minutes(5)))
struct SharedStoreHostsTests {
    struct Host {
        var slipway: SlipwayProcess
        var workspace: TemporaryWorkspace

        func agentStatus() throws -> [String: Any] {
            try #require(try slipway.json("agent", "status") as? [String: Any])
        }

        func routePort() throws -> Int {
            let routes = try #require(try agentStatus()["routes"] as? [[String: Any]])
            #expect(routes.count == 1, "\(routes)")
            let url = try #require(routes.first?["url"] as? String)
            return try #require(Int(url.split(separator: ":").last ?? ""))
        }

        func runningColors() throws -> [String] {
            let slots = try #require(try agentStatus()["slots"] as? [[String: Any]])
            return slots.filter { $0["state"] as? String == "running" }.compactMap { $0["color"] as? String }.sorted()
        }
    }

    static func host(_ name: String, url: String, settings: String = "", function: String = #function) throws -> Host {
        let workspace = try LocalServiceWorkspace.create(settings: settings, function: "\(function)-\(name)")
        var slipway = SlipwayProcess(workspace)
        slipway.environment[ProcessIdentity.hostVariable] = name
        slipway.environment[StoreURL.variable] = url
        return Host(slipway: slipway, workspace: workspace)
    }

    @Test func twoHostsDeployTheSameComponentEachWithItsOwnRouterAndSlots() async throws {
        let url = try await PostgresCluster.shared().createDatabase()
        let a = try Self.host("a", url: url)
        let b = try Self.host("b", url: url)
        defer {
            for host in [a, b] { #expect(host.slipway.stopAgentAndListLeftovers().isEmpty) }
        }
        // Each agent up before its deploy, so each request is taken by its own host's agent.
        #expect(try a.slipway("agent", "start").status == 0)
        #expect(try b.slipway("agent", "start").status == 0)

        let onA = try a.slipway("deploy-service", "api", "--env", "staging")
        #expect(onA.status == 0, "\(onA.stdout)\(onA.stderr)")
        let portA = try a.routePort()
        let versionA = try FakeCloudWorkspace.version(a.workspace, "services/api")
        #expect(httpGet(portA)?.body == "api \(versionA) blue\n")

        // The same release is live in the shared projection already: host b deploys it again to its own slots.
        let onB = try b.slipway("deploy-service", "api", "--env", "staging", "--force")
        #expect(onB.status == 0, "\(onB.stdout)\(onB.stderr)")
        let portB = try b.routePort()
        #expect(portB != portA)
        #expect(httpGet(portB)?.body.hasPrefix("api ") == true, "host b's router serves host b's slot")
        #expect(httpGet(portA)?.body == "api \(versionA) blue\n", "host a's router and slot are untouched by host b's deploy")
        #expect(try a.runningColors() == ["blue"], "host a's agent sees only its own slots")
        #expect(try b.runningColors().count == 1)

        let store = try await PostgresStore.open(StoreURL(url, name: "test"))
        #expect(try store.routes().map(\.hostName) == ["a", "b"])
        #expect(Set(try store.slots().filter { $0.state == .running }.map(\.host)) == ["a", "b"])
        #expect(try store.process(role: "router", on: "a") != nil && store.process(role: "router", on: "b") != nil)

        let hosts = try #require(try a.slipway.json("hosts", "--json") as? [[String: Any]])
        #expect(hosts.compactMap { $0["host"] as? String } == ["a", "b"])
        #expect(hosts.compactMap { $0["state"] as? String } == ["up", "up"])
        let status = try a.slipway("status")
        #expect(status.stdout.split(separator: "\n").contains { $0.hasPrefix("total") && $0.contains("2 of 2 up") }, "\(status.stdout)")
        let rows = try #require(try a.slipway.json("status", "--env", "staging", "--json") as? [[String: Any]])
        let api = try #require(rows.first { $0["component"] as? String == "api" }?["hosts"] as? [[String: Any]])
        #expect(api.compactMap { $0["host"] as? String } == ["a", "b"], "\(api)")
        #expect(api.compactMap { $0["state"] as? String } == ["up", "up"])
        #expect(api.compactMap { $0["live_color"] as? String }.count == 2, "each host's router has its own live colour")
        #expect((api.first?["versions"] as? [String: String]) == ["blue": versionA], "\(api)")

        #expect(try b.slipway("agent", "stop").status == 0)
        #expect(httpGet(portA)?.body == "api \(versionA) blue\n", "host b's stop leaves host a serving")
        let after = try #require(try a.slipway.json("hosts", "--json") as? [[String: Any]])
        #expect(after.compactMap { $0["state"] as? String } == ["up", "stopped"])
    }

    /// A host's checkout lags the asking host's: its agent fetches the deploy's commit and builds
    /// it in a temporary worktree, leaving the checkout as it was. Uncommitted changes cannot be
    /// fetched: that host's step fails saying so.
    @Test func aHostWhoseCheckoutLagsBuildsTheDeploysCommitFetchedFromItsRemote() async throws {
        let url = try await PostgresCluster.shared().createDatabase()
        let a = try Self.host("a", url: url, settings: "environments:\n  staging:\n    hosts: [b]\n")
        let behind = try TemporaryWorkspace()
        let cloned = try behind.run("/usr/bin/env", ["git", "clone", "-q", a.workspace.root.path, behind.root.path])
        #expect(cloned.status == 0, "\(cloned.output)")
        var slipway = SlipwayProcess(behind)
        slipway.environment[ProcessIdentity.hostVariable] = "b"
        slipway.environment[StoreURL.variable] = url
        let b = Host(slipway: slipway, workspace: behind)
        defer {
            for host in [a, b] { #expect(host.slipway.stopAgentAndListLeftovers().isEmpty) }
        }
        #expect(try b.slipway("agent", "start").status == 0)
        let checkout = try behind.git("rev-parse", "HEAD")
        let old = try FakeCloudWorkspace.version(behind, "services/api")

        try LocalServiceWorkspace.newVersion(a.workspace, note: "two")
        let version = try FakeCloudWorkspace.version(a.workspace, "services/api")
        #expect(version != old)
        let deployed = try a.slipway("deploy-service", "api", "--env", "staging")
        #expect(deployed.status == 0, "\(deployed.stdout)\(deployed.stderr)")
        #expect(deployed.stdout.contains("b: prepare done: \(version) healthy in the blue slot"), "\(deployed.stdout)")
        #expect(httpGet(try b.routePort())?.body == "api \(version) blue\n", "host b serves the deploy's commit")
        #expect(try behind.git("rev-parse", "HEAD") == checkout, "host b's checkout is left where it was")
        #expect(try behind.git("worktree", "list").split(separator: "\n").count == 1, "the temporary worktree is gone")

        try a.workspace.write(["services/api/NOTE": "not committed\n"])
        let dirty = try a.slipway("deploy-service", "api", "--env", "staging")
        #expect(dirty.status == 1, "\(dirty.stdout)\(dirty.stderr)")
        #expect(dirty.stdout.contains(
            "b: prepare failed: this host's checkout gives api version \(old), the deploy is \(version)-dirty, built from uncommitted changes"),
            "\(dirty.stdout)")
        #expect(httpGet(try b.routePort())?.body == "api \(version) blue\n", "host b still serves what it did")
    }
}
