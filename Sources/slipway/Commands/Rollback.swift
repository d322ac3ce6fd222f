import ArgumentParser
import SlipwayCore

struct Rollback: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Redeploy an earlier recorded release (default: the one live before the current).")

    @OptionGroup var global: GlobalOptions
    @Argument(help: "The component.") var component: String
    @Option(help: "The environment.") var env: String
    @Option(help: "The version to roll back to.") var to: String?
    @Flag(help: "Allow rolling back to the version that is live.") var force = false

    func run() async throws {
        let engine = try await global.openEngine()
        let cancellation = CancellationFlag()
        SignalTrap.cancel(cancellation)
        let result = try await Deployer(engine: engine).rollback(
            component, environment: env, to: to, force: force, cancellation: cancellation)
        if !result.succeeded { throw ExitCode(1) }
    }
}
