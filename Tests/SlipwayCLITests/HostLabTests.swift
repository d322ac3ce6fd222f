import Foundation
import SlipwayCore
import SlipwayTestSupport
import Testing

/// Several hosts on one machine (issue 14, "Several hosts on one machine"): each host a network
/// namespace of a `HostLab` running its own agent and router from its own checkout, reached from
/// the test at the host's address. Skipped, with the reason, where namespaces cannot be made.
@Suite(.postgresCluster, .serialized, .timeLimit(.minutes(10)))
struct HostLabTests {
    @Test func hostsReachEachOtherAndTheTestAndNothingOfTheLabIsLeftAfterIt() throws {
        let lab = try HostLab.create(hosts: ["a", "b"])
        defer { lab.tearDown() }
        let other = try HostLab.create(hosts: ["c"])
        defer { other.tearDown() }
        #expect(lab.bridgeAddress != other.bridgeAddress, "two live labs take two subnets")
        let folder = try TemporaryWorkspace(files: ["index.html": "served in a\n"])
        let server = try lab.start(
            on: lab.host("a"), "/usr/bin/env", ["python3", "-m", "http.server", "--bind", "0.0.0.0", "8080"],
            directory: folder.root, log: folder.root.appendingPathComponent("server.log"))
        // One port in every namespace: the same port is free again on another host.
        let again = try lab.start(
            on: lab.host("b"), "/usr/bin/env", ["python3", "-m", "http.server", "--bind", "0.0.0.0", "8080"],
            directory: folder.root, log: folder.root.appendingPathComponent("again.log"))

        let address = lab.host("a").address
        #expect(eventually(30) { httpGet(8080, "/index.html", host: address)?.body == "served in a\n" },
                "the test reaches a's server at \(address)")
        let fetched = try lab.run(
            on: lab.host("b"), "/usr/bin/env",
            ["python3", "-c", "import urllib.request; print(urllib.request.urlopen('http://\(address):8080/index.html').read().decode(), end='')"],
            directory: folder.root)
        #expect(fetched.output == "served in a\n", "b reaches a: \(fetched.errors)")
        let hostName = try lab.run(on: lab.host("b"), "/usr/bin/env", ["sh", "-c", "echo $SLIPWAY_HOST"], directory: folder.root)
        #expect(hostName.output == "b\n")
        #expect(lab.processes(on: lab.host("a")) == [server])
        #expect(lab.processes(on: lab.host("b")) == [again])

        lab.tearDown()
        #expect(kill(server, 0) != 0 && kill(again, 0) != 0, "the lab's processes were killed and reaped")
        #expect(lab.remnants().isEmpty, "left behind: \(lab.remnants())")
        #expect(!other.remnants().isEmpty, "another lab is left alone")
        other.tearDown()
        #expect(other.remnants().isEmpty, "left behind: \(other.remnants())")
    }

    /// Three hosts, each deploying the same service behind its own router and recording it in
    /// its own embedded store, with a load through every router: a blue/green redeploy on all
    /// three at once, then another with web-3's agent killed (SIGKILL) in its deploy. No request
    /// fails on any host, every deploy succeeds (web-3's run is taken over by a new agent), and
    /// every process of the fleet ends at `agent stop`.
    @Test func threeHostsEachOnItsOwnStoreServeEveryRequestThroughRedeploysAndAKilledAgent() throws {
        // The router listens on every address of its host's namespace: the bridge's and loopback.
        let origin = try LocalServiceWorkspace.create(settings: "bind_address: 0.0.0.0")
        let lab = try HostLab.create(hosts: ["web-1", "web-2", "web-3"])
        defer { lab.tearDown() }
        let hosts = try lab.hosts.map { try HostSlipway(lab: lab, host: $0, origin: origin, store: nil) }
        defer { for host in hosts { _ = try? host("agent", "stop") } }
        let survivors = hosts.prefix(2)
        let victim = hosts[2]

        try Self.startAgents(on: hosts)
        let first = try FakeCloudWorkspace.version(origin, "services/api")
        for host in hosts {
            let deployed = try host("deploy-service", "api", "--env", "staging")
            #expect(deployed.status == 0, "\(host.host.name): \(deployed.stdout)\(deployed.stderr)")
        }
        let ports = try hosts.map { host in try #require(try host.routerPort(), "\(host.host.name) has a route") }
        for (host, port) in zip(hosts, ports) {
            #expect(httpGet(port, host: host.host.address)?.body == "api \(first) blue\n",
                    "\(host.host.name) serves through its router at \(host.host.address):\(port)")
        }
        let loads = zip(hosts, ports).map { host, port in
            let load = LoadLoop()
            load.start(port: port, host: host.host.address, seconds: 400)
            return load
        }

        // A redeploy on the three hosts at once.
        try LocalServiceWorkspace.newVersion(origin, note: "second")
        let second = try FakeCloudWorkspace.version(origin, "services/api")
        for host in hosts { try host.pull() }
        let logs = hosts.map { $0.checkout.root.appendingPathComponent("deploy-2.log") }
        let deploys = try zip(hosts, logs).map { host, log in try host.start("deploy-service", "api", "--env", "staging", log: log) }
        for ((host, log), pid) in zip(zip(hosts, logs), deploys) {
            #expect(lab.wait(for: pid) == 0, "\(host.host.name): \((try? String(contentsOf: log, encoding: .utf8)) ?? "")")
        }
        for (host, port) in zip(hosts, ports) {
            #expect(httpGet(port, host: host.host.address)?.body == "api \(second) green\n", "\(host.host.name) switched to green")
        }

        // Another, with web-3's agent killed once its new slot started (in the health gate).
        try LocalServiceWorkspace.newVersion(origin, note: "third")
        let third = try FakeCloudWorkspace.version(origin, "services/api")
        for host in hosts { try host.pull() }
        let thirdLogs = hosts.map { $0.checkout.root.appendingPathComponent("deploy-3.log") }
        let victimPID = try #require((try victim.agentStatus()["pid"] as? Int).map(pid_t.init))
        let thirdDeploys = try zip(hosts, thirdLogs).map { host, log in try host.start("deploy-service", "api", "--env", "staging", log: log) }
        let victimLog = thirdLogs[2]
        #expect(eventually(120) { ((try? String(contentsOf: victimLog, encoding: .utf8)) ?? "").contains("started \(third) in the blue slot") },
                "web-3's deploy started its slot: \((try? String(contentsOf: victimLog, encoding: .utf8)) ?? "")")
        kill(victimPID, SIGKILL)
        for ((host, log), pid) in zip(zip(survivors, thirdLogs), thirdDeploys) {
            #expect(lab.wait(for: pid) == 0, "\(host.host.name): \((try? String(contentsOf: log, encoding: .utf8)) ?? "")")
        }
        let victimStatus = lab.wait(for: thirdDeploys[2])
        let victimSaid = (try? String(contentsOf: victimLog, encoding: .utf8)) ?? ""
        #expect(victimStatus == 0 && victimSaid.contains("the agent executing run"), "web-3's run was taken over: \(victimSaid)")
        for (host, port) in zip(hosts, ports) {
            #expect(httpGet(port, host: host.host.address)?.body == "api \(third) blue\n", "\(host.host.name) switched to blue")
        }

        // A bounded load: at least 200 requests through each router, none failed.
        #expect(eventually(120) { loads.allSatisfy { $0.count >= 200 } }, "200 requests per host: \(loads.map(\.count))")
        for (host, load) in zip(hosts, loads) {
            let answers = load.stop()
            let failed = answers.filter { $0.status != 200 }
            #expect(answers.count >= 200 && failed.isEmpty,
                    "\(host.host.name): \(failed.count) of \(answers.count) requests failed: \(failed.prefix(5).map { $0.status.map(String.init) ?? "no answer" })")
            print("\(host.host.name): \(answers.count) requests through its router, \(failed.count) failed")
        }

        try Self.stopAgentsLeavingNothing(on: hosts, in: lab)
    }

    /// Three agents on one PostgreSQL store, each in its own namespace: each runs a router of
    /// its own there (a router's control socket is a file, reachable from every namespace, so an
    /// agent that adopted another host's router would still talk to it).
    @Test func threeAgentsOnOneSharedStoreEachRunARouterOfTheirOwn() async throws {
        let url = try await PostgresCluster.shared().createDatabase()
        let origin = try LocalServiceWorkspace.create(settings: "bind_address: 0.0.0.0")
        let lab = try HostLab.create(hosts: ["web-1", "web-2", "web-3"])
        defer { lab.tearDown() }
        let hosts = try lab.hosts.map { try HostSlipway(lab: lab, host: $0, origin: origin, store: url) }
        defer { for host in hosts { _ = try? host("agent", "stop") } }
        try Self.startAgents(on: hosts)
        let deployed = try hosts[0]("deploy-service", "api", "--env", "staging")
        #expect(deployed.status == 0, "\(deployed.stdout)\(deployed.stderr)")
        let first = try FakeCloudWorkspace.version(origin, "services/api")
        let port = try #require(try hosts[0].routerPort())
        #expect(httpGet(port, host: hosts[0].host.address)?.body == "api \(first) blue\n")
        for host in hosts {
            let router = try #require(try host.agentStatus()["router_pid"] as? Int, "\(host.host.name) has a router")
            let own = lab.processes(on: host.host)
            #expect(own.contains(pid_t(router)), "\(host.host.name)'s router \(router) runs in its namespace, which runs \(own.map { Self.commandLine(of: $0) })")
        }
        for host in hosts { _ = try host("agent", "stop") }
    }

    /// The scene: a service placed on three hosts (`hosts:`, `min_healthy: 2`) on one
    /// PostgreSQL store, each host's agent and router in its own namespace. A deploy asked on
    /// web-1 is prepared and switched on all three; a second one, with web-3's agent killed
    /// (SIGKILL) as the hosts are asked, moves web-1 and web-2 and reports web-3 down; a bounded
    /// load through each host's router sees no failed request throughout; `hosts` shows the
    /// three, web-3 down, and up again once its agent is back (adopting its router and slots);
    /// a console on web-1's side names each host's slot and gives the total over the hosts.
    @Test func aServiceOnThreeHostsIsDeployedOnEachAndAHostKilledMidDeployIsSkipped() async throws {
        let url = try await PostgresCluster.shared().createDatabase()
        let origin = try LocalServiceWorkspace.create(settings: """
            bind_address: 0.0.0.0
            environments:
              staging:
                hosts: [web-1, web-2, web-3]
                min_healthy: 2
            """)
        let lab = try HostLab.create(hosts: ["web-1", "web-2", "web-3"])
        defer { lab.tearDown() }
        let hosts = try lab.hosts.map { try HostSlipway(lab: lab, host: $0, origin: origin, store: url) }
        defer { for host in hosts { _ = try? host("agent", "stop") } }
        try Self.startAgents(on: hosts)
        let first = try FakeCloudWorkspace.version(origin, "services/api")
        let deployed = try hosts[0]("deploy-service", "api", "--env", "staging")
        #expect(deployed.status == 0, "\(deployed.stdout)\(deployed.stderr)")
        for host in hosts {
            #expect(deployed.stdout.contains("\(host.host.name): switch done: traffic on blue"), "\(deployed.stdout)")
        }
        let ports = try hosts.map { host in try #require(try host.routerPort(), "\(host.host.name) has a route") }
        for (host, port) in zip(hosts, ports) {
            #expect(httpGet(port, host: host.host.address)?.body == "api \(first) blue\n",
                    "\(host.host.name) serves through its own router at \(host.host.address):\(port)")
        }
        // The console on a host's side (web-1's namespace and checkout) shows the three hosts' slots.
        let console = try TmuxConsole(
            "ip netns exec \(hosts[0].host.namespace) env SLIPWAY_HOST=web-1 SLIPWAY_ACTOR=tester "
                + "\(StoreURL.variable)='\(url)' '\(SlipwayProcess.binary.path)' console",
            width: 200, height: 50, directory: hosts[0].checkout.root)
        defer { console.stop() }
        #expect(console.waitFor(60) { $0.contains("\(first) blue") }, "the fleet shows the release: \(console.screen())")
        try console.press("Enter")
        #expect(console.waitFor(60) { screen in hosts.allSatisfy { screen.contains("on \($0.host.name)") } },
                "each host's slot, named by its host: \(console.screen())")
        #expect(console.waitFor(60) { $0.contains("traffic on blue on 3 of 3 hosts (min_healthy 2)") },
                "each host and the total: \(console.screen())")
        // Its process runs in web-1's namespace, where nothing may be left at the end.
        console.stop()
        let loads = zip(hosts, ports).map { host, port in
            let load = LoadLoop()
            load.start(port: port, host: host.host.address, seconds: 400)
            return load
        }

        try LocalServiceWorkspace.newVersion(origin, note: "second")
        let second = try FakeCloudWorkspace.version(origin, "services/api")
        for host in hosts { try host.pull() }
        let victimPID = try #require((try hosts[2].agentStatus()["pid"] as? Int).map(pid_t.init))
        let log = hosts[0].checkout.root.appendingPathComponent("deploy-2.log")
        let deploy = try hosts[0].start("deploy-service", "api", "--env", "staging", log: log)
        #expect(eventually(120) { ((try? String(contentsOf: log, encoding: .utf8)) ?? "").contains("asked web-1, web-2, web-3") },
                "the hosts were asked: \((try? String(contentsOf: log, encoding: .utf8)) ?? "")")
        kill(victimPID, SIGKILL)
        #expect(lab.wait(for: deploy) == 0, "\((try? String(contentsOf: log, encoding: .utf8)) ?? "")")
        let said = (try? String(contentsOf: log, encoding: .utf8)) ?? ""
        #expect(said.contains("web-3: ") && said.contains("host down"), "web-3 reported down: \(said)")
        #expect(said.contains("traffic moved on 2 of 3 hosts"), "\(said)")
        for (host, port) in zip(hosts.prefix(2), ports) {
            #expect(httpGet(port, host: host.host.address)?.body == "api \(second) green\n", "\(host.host.name) moved to green")
        }
        #expect(httpGet(ports[2], host: hosts[2].host.address)?.body == "api \(first) blue\n",
                "web-3's router, without its agent, still serves what it served")

        #expect(eventually(120) { loads.allSatisfy { $0.count >= 200 } }, "200 requests per host: \(loads.map(\.count))")
        for (host, load) in zip(hosts, loads) {
            let answers = load.stop()
            let failed = answers.filter { $0.status != 200 }
            #expect(answers.count >= 200 && failed.isEmpty,
                    "\(host.host.name): \(failed.count) of \(answers.count) requests failed: \(failed.prefix(5).map { $0.status.map(String.init) ?? "no answer" })")
        }

        func states() -> [String: String] {
            let listed = (try? hosts[0].json("hosts") as? [[String: Any]]) ?? []
            return Dictionary(listed.compactMap { row in
                (row["host"] as? String).map { ($0, row["state"] as? String ?? "") }
            }) { first, _ in first }
        }
        #expect(eventually(60) { states() == ["web-1": "up", "web-2": "up", "web-3": "down"] }, "\(states())")
        #expect(try hosts[2]("agent", "start").status == 0)
        #expect(eventually(60) { states()["web-3"] == "up" }, "\(states())")
        #expect(httpGet(ports[2], host: hosts[2].host.address)?.body == "api \(first) blue\n", "web-3's new agent adopted its router")

        try Self.stopAgentsLeavingNothing(on: hosts, in: lab)
    }

    static func startAgents(on hosts: [HostSlipway]) throws {
        for host in hosts {
            let started = try host("agent", "start")
            #expect(started.status == 0, "\(host.host.name): \(started.stderr)")
        }
    }

    /// Stops each host's agent, checks nothing of the fleet runs in its namespace, and that the
    /// lab leaves nothing behind.
    static func stopAgentsLeavingNothing(on hosts: [HostSlipway], in lab: HostLab) throws {
        for host in hosts {
            let stopped = try host("agent", "stop")
            #expect(stopped.status == 0, "\(host.host.name): \(stopped.stderr)")
            var left: [pid_t] = []
            #expect(eventually(15) {
                left = lab.processes(on: host.host)
                return left.isEmpty
            }, "\(host.host.name) still runs \(left.map { commandLine(of: $0) })")
        }
        lab.tearDown()
        #expect(lab.remnants().isEmpty, "left behind: \(lab.remnants())")
    }

    static func commandLine(of pid: pid_t) -> String {
        "\(pid): " + ((try? String(contentsOfFile: "/proc/\(pid)/cmdline", encoding: .utf8)) ?? "")
            .replacingOccurrences(of: "\0", with: " ")
    }
}
