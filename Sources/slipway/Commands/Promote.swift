import ArgumentParser
import SlipwayCore

struct Promote: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "promote",
        abstract: "Deploy the release live and healthy in one environment to the next (staging -> production).")

    @OptionGroup var global: GlobalOptions
    @Argument(help: "The component, as NAME, apps/NAME or services/NAME.") var component: String
    @Option(help: "The environment the release is live in.") var from = "staging"
    @Option(help: "The environment to deploy it to.") var to = "production"

    @OptionGroup var override: OverrideOptions
    @OptionGroup var run: RunOptions

    func run() async throws {
        let engine = try await global.openEngine()
        let name = try engine.workspace.component(named: component).name
        _ = try engine.workspace.environment(named: from)
        _ = try engine.workspace.environment(named: to)
        guard from != to else { throw SlipwayError(.promotionToItself(environment: from)) }
        let overrideGates = try override.gateOverride()
        try await run.perform(.promote(.init(component: name, from: from, to: to, overrideGates: overrideGates)), engine: engine)
        print("promoted \(name) from \(from) to \(to)")
    }
}
