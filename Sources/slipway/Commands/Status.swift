import ArgumentParser
import SlipwayCore

struct Status: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "status",
        abstract: "Show every component in every environment: live version, colour, health.")

    @OptionGroup var global: GlobalOptions
    @Option(help: "Only this environment.") var env: String?
    @Option(help: ArgumentHelp(
        "The fleet as it was at a past moment, folded from the events: 2026-12-03T14:05:00Z, '2026-12-03 14:05' (UTC), '2h ago' or --at=-2h.",
        valueName: "time"))
    var at: String?
    @Flag(help: "Print JSON.") var json = false
    @Flag(help: "Read the live colour back from platforms that keep it (aws-ecs: the listener's weights) and say where the store disagrees.")
    var refresh = false

    func run() async throws {
        let moment = try at.map { text throws(SlipwayError) in
            guard let moment = MomentText.parse(text) else {
                throw SlipwayError(.invalidValue(
                    option: "--at", value: text, expected: "a moment (2026-12-03T14:05:00Z, '2026-12-03 14:05' in UTC, '2h ago' or -2h)"))
            }
            return moment
        }
        let engine = try await global.openEngine(json: json)
        if let env { _ = try engine.workspace.environment(named: env) }
        var rows: [FleetRow]
        if let moment {
            rows = try engine.fleet(at: moment)
        } else {
            rows = try engine.fleet()
        }
        rows = rows.filter { env == nil || $0.environment == env }
        if refresh, moment == nil {
            for index in rows.indices {
                let component = try engine.workspace.component(named: rows[index].component)
                // A component that cannot be deployed yet has no platform to ask.
                guard let target = try? engine.target(for: component, environment: rows[index].environment) else { continue }
                if let color = try await target.platformLiveColor() { rows[index].record(platformColor: color.rawValue) }
                if let version = try await target.platformLiveVersion() { rows[index].record(platformVersion: version) }
            }
        }
        let hosts = try moment == nil ? engine.hosts(at: engine.clock.now()) : []
        if json {
            return try JSONOutput.print(rows.map { row in
                StatusLine(row: row, hosts: moment == nil ? FleetHost.parts(of: row.component, in: row.environment, from: hosts) : nil)
            })
        }
        if let moment { print("as of \(moment.formatted(.iso8601)), from the events recorded by then") }
        Table(
            headers: ["COMPONENT", "ENVIRONMENT", "VERSION", "COLOR", "HEALTH", "RUNNING", "TARGET", "URL"],
            rows: rows.map {
                [$0.component, $0.environment, $0.versionText, $0.colorText, $0.health.rawValue,
                 $0.runningRun ?? "-", $0.target, $0.url ?? "-"]
            }
        ).print()
        if moment == nil { printSlotsByHost(hosts) }
    }

    /// With more than one host, where the slots run: each host's, then the total.
    private func printSlotsByHost(_ summaries: [HostSummary]) {
        let hosts = summaries.map { host in
            var shown = host
            shown.slots = host.slots.filter { env == nil || $0.environment == env }
            return shown
        }
        guard hosts.count > 1 else { return }
        print("")
        var rows = hosts.map { host in [host.host, host.state.rawValue, String(host.slots.count), host.slotsText] }
        let up = hosts.count { $0.state == .up }
        rows.append(["total", "\(up) of \(hosts.count) up", String(hosts.reduce(0) { $0 + $1.slots.count }), "-"])
        Table(headers: ["HOST", "STATE", "SLOTS", "LIVE SLOTS"], rows: rows).print()
    }
}
