import ArgumentParser
import Foundation
import SlipwayCore

struct CanaryCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "canary", abstract: "Watch and steer a component's canary.",
        subcommands: [CanaryStatusCommand.self, CanarySteer.Promote.self, CanarySteer.Pause.self, CanarySteer.Resume.self,
                      CanarySteer.Abort.self])
}

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

struct CanaryStatusCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "status", abstract: "Show the canary's step, weights, checks and last interval.")

    @OptionGroup var global: GlobalOptions
    @OptionGroup var target: CanaryTarget
    @Flag(help: "Print JSON.") var json = false

    func run() async throws {
        let engine = try await global.openEngine(json: json)
        let (component, environment) = try target.resolve(engine)
        guard let record = try engine.store.canary(component: component, environment: environment),
              let status = CanaryStatus(record)
        else {
            throw SlipwayError.failure("\(component) has had no canary in \(environment)")
        }
        if json { return try JSONOutput.print(status) }
        let weights = [status.stableColor, status.canaryColor].map { "\($0) \(status.weights[$0] ?? 0)%" }
        print("\(component) in \(environment): canary \(status.version) in \(status.canaryColor), \(status.phase.rawValue)")
        print("step \(status.step) of \(status.steps.count) (\(status.steps.map { "\($0)%" }.joined(separator: ", "))): "
            + weights.joined(separator: ", "))
        var checks = "checks: \(status.passed) passed, \(status.failed) failed (rollback at \(status.threshold))"
        if let left = status.secondsLeftInStep { checks += ", \(DurationText.format(left)) left in the step" }
        print(checks)
        if let reason = status.reason { print("reason: \(reason)") }
        if let check = status.lastCheck {
            for (name, interval) in [("canary", check.canary), ("stable", check.stable)] {
                let rate = interval.errorRate.map { String(format: "%.1f%%", $0) } ?? "-"
                let p95 = interval.p95Milliseconds.map { String(format: "%.0fms", $0) } ?? "-"
                print("last interval \(name): \(interval.requests) requests, \(rate) failed, p95 \(p95)")
            }
            print("last verdict: \(check.verdict.rawValue)\(check.reasons.isEmpty ? "" : ": " + check.reasons.joined(separator: "; "))")
        }
    }
}

/// `promote`, `pause`, `resume`, `abort`: queued in the store for the deploy that runs the canary.
enum CanarySteer {
    static func send(_ command: SlipwayCore.CanaryCommand.Kind, global: GlobalOptions, target: CanaryTarget) async throws {
        let engine = try await global.openEngine()
        let (component, environment) = try target.resolve(engine)
        try engine.store.request(command, component: component, environment: environment)
        print("asked the canary of \(component) in \(environment) to \(command.rawValue)")
    }

    struct Promote: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Skip the remaining steps: send every request to the canary.")
        @OptionGroup var global: GlobalOptions
        @OptionGroup var target: CanaryTarget
        func run() async throws { try await send(.promote, global: global, target: target) }
    }

    struct Pause: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Stop judging and hold the current weights.")
        @OptionGroup var global: GlobalOptions
        @OptionGroup var target: CanaryTarget
        func run() async throws { try await send(.pause, global: global, target: target) }
    }

    struct Resume: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Judge again; the step's time starts over.")
        @OptionGroup var global: GlobalOptions
        @OptionGroup var target: CanaryTarget
        func run() async throws { try await send(.resume, global: global, target: target) }
    }

    struct Abort: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Send every request back to the stable colour and stop the canary.")
        @OptionGroup var global: GlobalOptions
        @OptionGroup var target: CanaryTarget
        func run() async throws { try await send(.abort, global: global, target: target) }
    }
}
