import ArgumentParser
import SlipwayCore

struct Switch: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "switch",
        abstract: "Move a component's traffic by hand to its other colour, after checking that slot is healthy.")

    @OptionGroup var global: GlobalOptions
    @Argument(help: "The component.") var component: String
    @Option(help: "The environment.") var env: String
    @Option(help: "blue or green (default: the idle colour).") var to: String?
    @OptionGroup var run: RunOptions

    func run() async throws {
        let color = try to.map { text throws(SlipwayError) in try SlotColor.parse(text) }
        let engine = try await global.openEngine(naming: component)
        let name = try engine.workspace.component(named: component).name
        let environment = try engine.workspace.environment(named: env).name
        try await run.perform(.switchTraffic(.init(component: name, environment: environment, color: color)), engine: engine)
    }
}
