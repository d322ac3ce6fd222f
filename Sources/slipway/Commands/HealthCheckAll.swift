import ArgumentParser
import SlipwayCore

struct HealthCheckAll: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "health-check-all", abstract: "Health-check every component deployed to an environment.")

    @OptionGroup var global: GlobalOptions
    @Option(help: "The environment.") var env: String
    @Flag(help: "Print JSON.") var json = false

    func run() async throws {
        let engine = try await global.openEngine(json: json)
        let outcomes = try await HealthCheck(engine: engine).checkAll(environment: env)
        if json {
            try JSONOutput.print(outcomes)
        } else {
            Table(
                headers: ["COMPONENT", "VERSION", "HEALTH", "DETAIL"],
                rows: outcomes.map { [$0.component, $0.version ?? "-", $0.health, $0.reason ?? ""] }
            ).print()
        }
        if outcomes.contains(where: { $0.health == "unhealthy" }) { throw ExitCode(1) }
    }
}
