import ArgumentParser
import Foundation
import SlipwayCore

/// The component and environment a canary command is about.
struct CanaryTarget: ParsableArguments {
    @Argument(help: "The component.") var component: String
    @Option(help: "The environment.") var env: String

    func resolve(_ engine: Engine) throws -> (component: String, environment: String) {
        let component = try engine.workspace.component(named: self.component)
        let environment = try engine.workspace.environment(named: env)
        return (component.name, environment.name)
    }
}
