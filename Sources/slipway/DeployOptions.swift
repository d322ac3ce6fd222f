import ArgumentParser
import SlipwayCore

/// What `deploy-app` and `deploy-service` share.
struct DeployOptions: ParsableArguments {
    @Option(help: "The environment (default: the one the current branch deploys to).") var env: String?
    @Option(help: "The version (default: the commit that last changed the component, -dirty when changed since).")
    var version: String?
    @Flag(help: "Redeploy even when this version is already live.") var force = false

    func run(global: GlobalOptions, reference: String, kind: Component.Kind) async throws {
        let engine = try await global.openEngine()
        let cancellation = CancellationFlag()
        SignalTrap.cancel(cancellation)
        let result = try await Deployer(engine: engine).deploy(
            reference, kind: kind, environment: env, version: version, force: force, cancellation: cancellation)
        if !result.succeeded { throw ExitCode(1) }
    }
}
