import ArgumentParser
import SlipwayCore

struct Switch: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Move a component's traffic by hand to its other colour, after checking that slot is healthy.")

    @OptionGroup var global: GlobalOptions
    @Argument(help: "The component.") var component: String
    @Option(help: "The environment.") var env: String
    @Option(help: "blue or green (default: the idle colour).") var to: String?

    func run() async throws {
        let engine = try await global.openEngine()
        let cancellation = CancellationFlag()
        SignalTrap.cancel(cancellation)
        let result = try await Deployer(engine: engine).switchTraffic(component, environment: env, to: to, cancellation: cancellation)
        if !result.succeeded { throw ExitCode(1) }
    }
}
