import ArgumentParser
import SlipwayCore

struct Status: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Show every component in every environment: live version, colour, health.")

    @OptionGroup var global: GlobalOptions
    @Option(help: "Only this environment.") var env: String?
    @Flag(help: "Print JSON.") var json = false
    @Flag(help: "Read the live colour back from platforms that keep it (aws-ecs: the listener's weights) and say where the store disagrees.")
    var refresh = false

    func run() async throws {
        let engine = try await global.openEngine(json: json)
        if let env { _ = try engine.workspace.environment(named: env) }
        var rows = FleetRow.rows(
            workspace: engine.workspace, projection: try engine.store.projection(), routes: try engine.store.routes(),
            probes: try engine.store.liveProbes(), agentIsAlive: engine.store.agentIsAlive())
            .filter { env == nil || $0.environment == env }
        if refresh {
            for index in rows.indices {
                let component = try engine.workspace.component(named: rows[index].component)
                // A component that cannot be deployed yet has no platform to ask.
                guard let target = try? engine.target(for: component, environment: rows[index].environment) else { continue }
                if let color = try await target.platformLiveColor() { rows[index].record(platformColor: color.rawValue) }
            }
        }
        if json { return try JSONOutput.print(rows) }
        Table(
            headers: ["COMPONENT", "ENVIRONMENT", "VERSION", "COLOR", "HEALTH", "RUNNING", "TARGET", "URL"],
            rows: rows.map {
                [$0.component, $0.environment, $0.liveVersion ?? "-", $0.colorText, $0.health.rawValue,
                 $0.runningRun ?? "-", $0.target, $0.url ?? "-"]
            }
        ).print()
    }
}
