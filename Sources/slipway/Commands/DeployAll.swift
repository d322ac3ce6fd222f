import ArgumentParser
import SlipwayCore

struct DeployAll: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "deploy-all", abstract: "Deploy every app and service to an environment, in parallel.")

    @OptionGroup var global: GlobalOptions
    @Option(help: "The environment (default: the one the current branch deploys to).") var env: String?
    @Flag(help: "Redeploy components whose version is already live.") var force = false

    func run() async throws {
        let engine = try await global.openEngine()
        let cancellation = CancellationFlag()
        SignalTrap.cancel(cancellation)
        let results = try await Deployer(engine: engine).deployAll(environment: env, force: force, cancellation: cancellation)
        let failed = results.filter { !$0.value.succeeded }.keys.sorted()
        print("deploy-all: \(results.count - failed.count) deployed, \(failed.count) not"
            + (failed.isEmpty ? "" : " (\(failed.joined(separator: ", ")))"))
        if !failed.isEmpty { throw ExitCode(1) }
    }
}
