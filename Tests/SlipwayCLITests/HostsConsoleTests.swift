import Foundation
import SlipwayCore
import SlipwayTestSupport
import Testing

/// A service placed on two hosts (`hosts: [web-1, web-2]`), each an agent on this machine with
/// its own checkout and state folder (`SLIPWAY_HOST`), one shared PostgreSQL store: the console
/// shows each host and the total, and a host whose agent stops, live, without a key pressed.
@Suite(.postgresCluster, .serialized, .timeLimit(.minutes(5)))
struct HostsConsoleTests {
    @Test func theConsoleShowsEachHostAndTheTotalAndAHostGoingDownLive() async throws {
        let url = try await PostgresCluster.shared().createDatabase()
        let origin = try LocalServiceWorkspace.create(settings: "environments:\n  staging:\n    hosts: [web-1, web-2]\n")
        let clone = try TemporaryWorkspace()
        let cloned = try clone.run("/usr/bin/env", ["git", "clone", "-q", origin.root.path, clone.root.path])
        #expect(cloned.status == 0, "\(cloned.output)")
        let hosts = [("web-1", origin), ("web-2", clone)].map { name, workspace in
            var slipway = SlipwayProcess(workspace)
            slipway.environment[ProcessIdentity.hostVariable] = name
            slipway.environment[StoreURL.variable] = url
            return slipway
        }
        defer {
            for host in hosts { #expect(host.stopAgentAndListLeftovers().isEmpty) }
        }
        for host in hosts { #expect(try host("agent", "start").status == 0) }
        let version = try FakeCloudWorkspace.version(origin, "services/api")
        let deployed = try hosts[0]("deploy-service", "api", "--env", "staging")
        #expect(deployed.status == 0, "\(deployed.stdout)\(deployed.stderr)")

        let console = try TmuxConsole(
            "\(ProcessIdentity.hostVariable)=web-1 \(StoreURL.variable)='\(url)' '\(SlipwayProcess.binary.path)' console",
            width: 160, height: 40, directory: origin.root)
        defer { console.stop() }
        #expect(console.waitFor(60) { $0.contains("\(version) blue") }, "the fleet shows the release: \(console.screen())")
        try console.press("Enter")
        #expect(console.waitFor(60) { $0.contains("traffic on blue on 2 of 2 hosts") }, "\(console.screen())")
        for name in ["web-1", "web-2"] {
            let line = console.line(containing: "  \(name) ") ?? ""
            #expect(line.contains("up") && line.contains("blue \(version)"), "\(name): \(console.screen())")
        }

        #expect(try hosts[1]("agent", "stop").status == 0)
        #expect(console.waitFor(60) { $0.contains("traffic on blue on 1 of 2 hosts, 1 stopped") }, "\(console.screen())")
        #expect(console.line(containing: "  web-2 ")?.contains("stopped") == true, "\(console.screen())")
        try console.press("Escape")
        #expect(console.waitFor(30) { $0.contains("1/2 hosts") }, "the fleet row says the hosts disagree: \(console.screen())")
    }
}
