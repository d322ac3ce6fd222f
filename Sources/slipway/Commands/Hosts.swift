import ArgumentParser
import Foundation
import SlipwayCore

struct Hosts: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "hosts",
        abstract: "Show the fleet's hosts: each agent up or down, when last seen, its router's routes and its live slots.")

    @OptionGroup var global: GlobalOptions
    @Flag(help: "Print JSON.") var json = false

    func run() async throws {
        let engine = try await global.openEngine(json: json)
        let now = engine.clock.now()
        let hosts = try engine.hosts(at: now)
        if json { return try JSONOutput.print(hosts) }
        guard !hosts.isEmpty else { return print("no host is known: no agent has run on this store yet") }
        Table(
            headers: ["HOST", "STATE", "LAST SEEN", "ROUTES", "LIVE SLOTS"],
            rows: hosts.map { host in
                [host.host, host.state.rawValue, host.lastSeen.map { TimeText.age(of: $0, now: now) } ?? "never",
                 host.routes.isEmpty ? "-" : host.routes.map { "\($0.component)/\($0.environment) \($0.url)" }.joined(separator: ", "),
                 host.slotsText]
            }
        ).print()
    }
}

extension HostSummary {
    /// `web/staging blue v1, api/staging green v2`, or `-`.
    var slotsText: String {
        slots.isEmpty ? "-" : slots.map { "\($0.component)/\($0.environment) \($0.color) \($0.version)" }.joined(separator: ", ")
    }
}
