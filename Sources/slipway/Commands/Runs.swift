import ArgumentParser
import Foundation
import SlipwayCore

struct Runs: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "List deploy, rollback, test and health-check runs, newest first.",
        subcommands: [RunsList.self, RunsShow.self], defaultSubcommand: RunsList.self)
}

struct RunsList: AsyncParsableCommand {
    static let configuration = CommandConfiguration(commandName: "list", abstract: "List runs, newest first.")

    @OptionGroup var global: GlobalOptions
    @Option(help: "How many runs.") var limit = 50
    @Flag(help: "Print JSON.") var json = false

    func run() async throws {
        let runs = try await global.openEngine(json: json).store.runs(limit: limit)
        if json { return try JSONOutput.print(runs.map(RunSummary.init)) }
        Table(
            headers: ["RUN", "KIND", "COMPONENT", "ENV", "VERSION", "STATE", "ACTOR", "ORIGIN", "STARTED"],
            rows: runs.map {
                [$0.id, $0.kind.rawValue, $0.component ?? "-", $0.environment ?? "-", $0.version ?? "-",
                 $0.state.rawValue, $0.actor, $0.origin, TimeText.rfc3339($0.startedAt)]
            }
        ).print()
    }
}

struct RunsShow: AsyncParsableCommand {
    static let configuration = CommandConfiguration(commandName: "show", abstract: "Show one run: its stages and output.")

    @OptionGroup var global: GlobalOptions
    @Argument(help: "The run id.") var id: String
    @Flag(help: "Print JSON.") var json = false

    func run() async throws {
        let store = try await global.openEngine(json: json).store
        let run = try store.run(id: id)
        let stages = try store.events(forRun: id).filter { $0.knownKind == .stageFinished }.compactMap(\.details)
        let output = try store.output(runID: id)
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

/// A run as `runs --json` prints it.
struct RunSummary: Encodable {
    struct Stage: Encodable {
        var name: String
        var outcome: String
        var exitCode: Int?
        var seconds: Double?

        enum CodingKeys: String, CodingKey {
            case name, outcome, exitCode = "exit_code", seconds
        }
    }

    var id: String
    var kind: String
    var component: String?
    var environment: String?
    var version: String?
    var state: String
    var actor: String
    var origin: String
    var pid: Int32
    var host: String
    var startedAt: Date
    var finishedAt: Date?
    var durationSeconds: Double?
    var reason: String?
    var stages: [Stage]?
    var output: [String]?

    init(_ run: RunRecord) {
        id = run.id
        kind = run.kind.rawValue
        component = run.component
        environment = run.environment
        version = run.version
        state = run.state.rawValue
        actor = run.actor
        origin = run.origin
        pid = run.pid
        host = run.host
        startedAt = run.startedAt
        finishedAt = run.finishedAt
        durationSeconds = run.finishedAt.map { $0.timeIntervalSince(run.startedAt) }
        reason = run.reason
    }

    enum CodingKeys: String, CodingKey {
        case id, kind, component, environment, version, state, actor, origin, pid, host
        case startedAt = "started_at", finishedAt = "finished_at", durationSeconds = "duration_seconds", reason, stages, output
    }
}
