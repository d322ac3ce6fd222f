import ArgumentParser
import Foundation
import SlipwayCore

struct Cancel: AsyncParsableCommand {
    static let configuration = CommandConfiguration(commandName: "cancel", abstract: "Stop a running run cleanly and record it.")

    @OptionGroup var global: GlobalOptions
    @Argument(help: "The run id, or the id of a request still awaiting approval.") var run: String
    @Option(help: "Seconds to wait for the run to stop.") var timeout: Double = 30

    func run() async throws {
        let engine = try await global.openEngine()
        if let withdrawn = try engine.withdrawAwaitingApproval(requestID: run) {
            print("request \(run) (\(withdrawn.request.title)) ended before it was approved: \(withdrawn.error ?? "withdrawn")")
            return
        }
        let record = try engine.run(id: run)
        if let environment = record.environment {
            try engine.authorize(.cancel, environment: environment, component: record.component)
        }
        _ = try engine.store.requestCancel(runID: run)
        print("asked run \(run) to stop")
        let deadline = Date().addingTimeInterval(timeout)
        while Date() < deadline {
            try engine.store.reapInterruptedRuns()
            let record = try engine.run(id: run)
            if record.state.isFinal {
                print("run \(run): \(record.state.rawValue)")
                return
            }
            try await Task.sleep(for: .milliseconds(200))
        }
        throw SlipwayError.failure("run \(run) did not stop within \(Int(timeout))s; it is still asked to")
    }
}
