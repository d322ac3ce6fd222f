import ArgumentParser
import Foundation
import SlipwayCore

struct CanaryStatusCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "status", abstract: "Show the canary's step, weights, checks and last interval.")

    @OptionGroup var global: GlobalOptions
    @OptionGroup var target: CanaryTarget
    @Flag(help: "Print JSON.") var json = false

    func run() async throws {
        let engine = try await global.openEngine(json: json)
        let (component, environment) = try target.resolve(engine)
        guard let record = try engine.canary(component: component, environment: environment),
              let status = CanaryStatus(record)
        else {
            // Not an error for a script asking: "no canary" is an answer, in JSON too.
            if json { return print(#"{"canary":null,"component":"\#(component)","environment":"\#(environment)","message":"no canary"}"#) }
            print("\(component) has had no canary in \(environment)")
            return
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
