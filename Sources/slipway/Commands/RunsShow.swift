import ArgumentParser
import Foundation
import SlipwayCore

struct RunsShow: AsyncParsableCommand {
    static let configuration = CommandConfiguration(commandName: "show", abstract: "Show one run: its stages and output.")

    @OptionGroup var global: GlobalOptions
    @Argument(help: "The run id.") var id: String
    @Flag(help: "Print JSON.") var json = false

    func run() async throws {
        let report = try await global.openEngine(json: json).runReport(id: id)
        let (run, stages, output) = (report.run, report.stages, report.output)
        if json {
            var summary = RunSummary(run)
            summary.stages = stages.map { .init(name: $0.stage ?? "?", outcome: $0.outcome ?? "?", exitCode: $0.exitCode, seconds: $0.seconds) }
            summary.output = output.map(\.text)
            return try JSONOutput.print(summary)
        }
        print("run \(run.id): \(run.kind.rawValue) \(run.component ?? "") \(run.version ?? "") \(run.environment.map { "-> \($0)" } ?? "")")
        print("state: \(run.state.rawValue)\(run.reason.map { " (\($0))" } ?? "")")
        print("by \(run.actor) from \(run.origin), pid \(run.pid) on \(run.host), started \(TimeText.rfc3339(run.startedAt))")
        for stage in stages {
            print("stage \(stage.stage ?? "?"): \(stage.outcome ?? "?") exit \(stage.exitCode ?? -1) in \(String(format: "%.1f", stage.seconds ?? 0))s")
        }
        print("--- output")
        for line in output { print(line.text) }
    }
}
