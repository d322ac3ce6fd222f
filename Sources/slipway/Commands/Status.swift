import ArgumentParser
import SlipwayCore

struct Status: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Show every component in every environment: live version, colour, health.")

    @OptionGroup var global: GlobalOptions
    @Option(help: "Only this environment.") var env: String?
    @Flag(help: "Print JSON.") var json = false

    func run() async throws {
        let engine = try await global.openEngine(json: json)
        if let env { _ = try engine.workspace.environment(named: env) }
        let rows = FleetRow.rows(
            workspace: engine.workspace, projection: try engine.store.projection(), routes: try engine.store.routes(),
            probes: try engine.store.liveProbes(), agentIsAlive: engine.store.agentIsAlive())
            .filter { env == nil || $0.environment == env }
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
