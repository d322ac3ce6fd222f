import Foundation
import SlipwayCore

/// What one run has done so far, from its events: its stages in order, each with its state and
/// duration, and for a pipeline each stage's jobs (one per component) with outcome and reason.
struct RunStages: Equatable, Sendable {
    enum Progress: Equatable, Sendable {
        case running
        case finished(String)

        var text: String {
            switch self {
            case .running: "running"
            case .finished(let outcome): outcome
            }
        }
    }

    struct Job: Equatable, Sendable {
        var component: String
        var started: Date
        var progress: Progress
        /// Known once it finished; a job recorded only by its finish (detect-changes) has none.
        var seconds: Double?
        var reason: String?
    }

    struct Stage: Equatable, Sendable {
        var name: String
        var started: Date
        var progress: Progress
        var seconds: Double?
        var jobs: [Job] = []
    }

    var runID: String
    var stages: [Stage] = []

    /// Folds `events` (oldest first) of the run `runID`.
    init(runID: String, events: [Event]) {
        self.runID = runID
        for event in events where event.runID == runID {
            guard let kind = event.knownKind, let details = event.details, let name = details.stage else { continue }
            switch kind {
            case .stageStarted:
                stages.append(Stage(name: name, started: event.time, progress: .running))
            case .stageFinished:
                let index = stageIndex(name, started: event.time)
                stages[index].progress = .finished(details.outcome ?? "finished")
                stages[index].seconds = details.seconds ?? event.time.timeIntervalSince(stages[index].started)
            case .jobStarted:
                let index = stageIndex(name, started: event.time)
                stages[index].jobs.append(Job(component: event.component ?? "-", started: event.time, progress: .running))
            case .jobFinished:
                let index = stageIndex(name, started: event.time)
                let component = event.component ?? "-"
                let job = stages[index].jobs.lastIndex { $0.component == component && $0.progress == .running }
                var finished = job.map { stages[index].jobs[$0] } ?? Job(component: component, started: event.time, progress: .running)
                finished.progress = .finished(details.outcome ?? "finished")
                finished.reason = details.reason
                if job != nil { finished.seconds = event.time.timeIntervalSince(finished.started) }
                if let job { stages[index].jobs[job] = finished } else { stages[index].jobs.append(finished) }
            default:
                continue
            }
        }
    }

    /// The newest stage called `name`, added as running when its start was not seen.
    private mutating func stageIndex(_ name: String, started: Date) -> Int {
        if let index = stages.lastIndex(where: { $0.name == name }) { return index }
        stages.append(Stage(name: name, started: started, progress: .running))
        return stages.count - 1
    }

    /// Lines as the runs screen shows them: each stage, then its jobs.
    var lineCount: Int { stages.reduce(0) { $0 + 1 + $1.jobs.count } }
}
