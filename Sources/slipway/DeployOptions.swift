import ArgumentParser
import SlipwayCore

/// What `deploy-app` and `deploy-service` share.
struct DeployOptions: ParsableArguments {
    @Option(help: "The environment (default: the one the current branch deploys to).") var env: String?
    @Option(help: "The version (default: the commit that last changed the component, -dirty when changed since).")
    var version: String?
    @Flag(help: "Redeploy even when this version is already live.") var force = false
    @OptionGroup var override: OverrideOptions
    @OptionGroup var run: RunOptions

    func run(global: GlobalOptions, reference: String, kind: ComponentKind) async throws {
        let engine = try await global.openEngine(naming: reference)
        // Checked here, so a typo is answered at once and never recorded as a request.
        let component = try engine.workspace.component(named: reference, kind: kind)
        let environment = try await engine.environment(named: env).name
        if let version { _ = try ReleaseVersion.validate(version) }
        let overrideGates = try override.gateOverride()
        try await run.perform(
            .deploy(.init(
                component: component.name, kind: kind, environment: environment, version: version, force: force,
                overrideGates: overrideGates)),
            engine: engine)
    }
}
