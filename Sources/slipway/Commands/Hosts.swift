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
                 HostSummary.listed(host.routes.map { "\($0.component)/\($0.environment) \($0.url)" }),
                 host.slotsText]
            }
        ).print()
    }
}

extension HostSummary {
    /// `web/staging blue v1, api/staging green v2`, or `-`.
    var slotsText: String {
        Self.listed(slots.map { "\($0.component)/\($0.environment) \($0.color) \($0.version)" })
    }

    /// The first `shown` of `items` and how many more (a host of a large fleet would make a line
    /// of hundreds of columns; `--json` lists them all), or `-`.
    static func listed(_ items: [String], shown: Int = 3) -> String {
        guard !items.isEmpty else { return "-" }
        let more = items.count > shown ? ", +\(items.count - shown) more" : ""
        return items.prefix(shown).joined(separator: ", ") + more
    }
}
