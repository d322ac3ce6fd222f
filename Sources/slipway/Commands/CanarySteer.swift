import ArgumentParser
import Foundation
import SlipwayCore

/// `promote`, `pause`, `resume`, `abort`: one command, queued in the store for the deploy that runs the canary.
struct CanarySteer<Action: CanarySteerAction>: AsyncParsableCommand {
    static var configuration: CommandConfiguration {
        CommandConfiguration(commandName: Action.kind.rawValue, abstract: abstract)
    }

    private static var abstract: String {
        switch Action.kind {
        case .promote: "Skip the remaining steps: send every request to the canary."
        case .pause: "Stop judging and hold the current weights."
        case .resume: "Judge again; the step's time starts over."
        case .abort: "Send every request back to the stable colour and stop the canary."
        }
    }

    @OptionGroup var global: GlobalOptions
    @OptionGroup var target: CanaryTarget

    func run() async throws {
        let engine = try await global.openEngine()
        let (component, environment) = try target.resolve(engine)
        try engine.authorize(.steerCanary, environment: environment, component: component)
        try engine.store.request(Action.kind, component: component, environment: environment)
        print("asked the canary of \(component) in \(environment) to \(Action.kind.rawValue)")
    }
}
