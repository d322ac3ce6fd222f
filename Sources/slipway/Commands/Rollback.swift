import ArgumentParser
import SlipwayCore

struct Rollback: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "rollback",
        abstract: "Redeploy an earlier recorded release (default: the one live before the current).")

    @OptionGroup var global: GlobalOptions
    @Argument(help: "The component.") var component: String
    @Option(help: "The environment.") var env: String
    @Option(help: "The version to roll back to.") var to: String?
    @Flag(help: "Allow rolling back to the version that is live, or over a migration old code may not run on (with --reason).")
    var force = false
    @OptionGroup var override: OverrideOptions
    @OptionGroup var run: RunOptions

    func run() async throws {
        let engine = try await global.openEngine(naming: component)
        let name = try engine.workspace.component(named: component).name
        let environment = try engine.workspace.environment(named: env).name
        let overrideGates = try override.gateOverride(reasonAlone: force)
        try await run.perform(
            .rollback(.init(
                component: name, environment: environment, version: to, force: force, reason: override.reason,
                overrideGates: overrideGates)),
            engine: engine)
    }
}
