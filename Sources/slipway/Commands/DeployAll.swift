import ArgumentParser
import SlipwayCore

struct DeployAll: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "deploy-all", abstract: "Deploy every app and service to an environment, in parallel.")

    @OptionGroup var global: GlobalOptions
    @Option(help: "The environment (default: the one the current branch deploys to).") var env: String?
    @Flag(help: "Redeploy components whose version is already live.") var force = false
    @Flag(help: "Deploy only what changed since the last successful pipeline run, in dependency order (a pipeline without gates).")
    var changed = false
    @Option(help: "With --changed: the base commit or ref.") var base: String?
    @OptionGroup var override: OverrideOptions
    @OptionGroup var execution: RunOptions

    func run() async throws {
        let overrideGates = try override.gateOverride()
        if changed, overrideGates != nil {
            throw SlipwayError.usage("--override-gates goes with deploy-all, not --changed (a pipeline run: gate it instead)")
        }
        let engine = try await global.openEngine()
        if changed {
            let environment = try await engine.environment(named: env)
            try await PipelineTarget.run(
                engine: engine, environment: environment, base: base, head: "HEAD", jobs: engine.workspace.config.parallelism,
                runsGates: false, dryRun: false, note: nil)
            return
        }
        let cancellation = CancellationFlag()
        SignalTrap.cancel(cancellation)
        let deployer = Deployer(engine: engine)
        let results = execution.inProcess
            ? try await deployer.deployAll(environment: env, force: force, overrideGates: overrideGates, cancellation: cancellation)
            : try await deployer.requestDeployAll(
                environment: env, force: force, overrideGates: overrideGates, noWait: execution.noWait, cancellation: cancellation)
        let failed = results.filter { !$0.value.succeeded }.keys.sorted()
        print("deploy-all: \(results.count - failed.count) deployed, \(failed.count) not"
            + (failed.isEmpty ? "" : " (\(failed.joined(separator: ", ")))"))
        if !failed.isEmpty { throw ExitCode(1) }
    }
}
