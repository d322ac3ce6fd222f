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

    func run() async throws {
        let engine = try await global.openEngine()
        let cancellation = CancellationFlag()
        SignalTrap.cancel(cancellation)
        let outcome = try await Promotion(engine: engine).promote(component, from: from, to: to, cancellation: cancellation)
        guard let result = outcome.result else {
            throw SlipwayError.failure("not promoting \(component) \(outcome.version): the production checklist failed")
        }
        if !result.succeeded { throw ExitCode(1) }
        print("promoted \(component) \(outcome.version) from \(from) to \(to)")
    }
}
