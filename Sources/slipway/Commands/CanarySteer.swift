import ArgumentParser
import Foundation
import SlipwayCore

/// `promote`, `pause`, `resume`, `abort`: queued in the store for the deploy that runs the canary.
enum CanarySteer {
    static func send(_ command: SlipwayCore.CanaryCommand.Kind, global: GlobalOptions, target: CanaryTarget) async throws {
        let engine = try await global.openEngine()
        let (component, environment) = try target.resolve(engine)
        try engine.authorize(.steerCanary, environment: environment, component: component)
        try engine.store.request(command, component: component, environment: environment)
        print("asked the canary of \(component) in \(environment) to \(command.rawValue)")
    }

    struct Promote: AsyncParsableCommand {
        static let configuration = CommandConfiguration(commandName: "promote", abstract: "Skip the remaining steps: send every request to the canary.")
        @OptionGroup var global: GlobalOptions
        @OptionGroup var target: CanaryTarget
        func run() async throws { try await send(.promote, global: global, target: target) }
    }

    struct Pause: AsyncParsableCommand {
        static let configuration = CommandConfiguration(commandName: "pause", abstract: "Stop judging and hold the current weights.")
        @OptionGroup var global: GlobalOptions
        @OptionGroup var target: CanaryTarget
        func run() async throws { try await send(.pause, global: global, target: target) }
    }

    struct Resume: AsyncParsableCommand {
        static let configuration = CommandConfiguration(commandName: "resume", abstract: "Judge again; the step's time starts over.")
        @OptionGroup var global: GlobalOptions
        @OptionGroup var target: CanaryTarget
        func run() async throws { try await send(.resume, global: global, target: target) }
    }

    struct Abort: AsyncParsableCommand {
        static let configuration = CommandConfiguration(commandName: "abort", abstract: "Send every request back to the stable colour and stop the canary.")
        @OptionGroup var global: GlobalOptions
        @OptionGroup var target: CanaryTarget
        func run() async throws { try await send(.abort, global: global, target: target) }
    }
}
