import ArgumentParser
import Foundation
import SlipwayCore

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
