// slipway-slo-bench: SLO computation over 30 days of per-minute data for 100 components x 3
// environments (the SLO issue's benchmark).
//
//   slipway-slo-bench [--components 100] [--environments 3] [--days 30] [--store DIR [--reuse]]
//
// Pure phase: for each component and environment, three objectives (availability, latency 2 s,
// latency 5 s) of `days` x 1440 minutes are generated (not timed), then SLOSeries + SLOStatus +
// SLOAlerting.evaluate are timed. Store phase (with --store): the availability minutes of every
// subject go into a fresh EventStore, then `SLOReport` (what `slipway slo` and `/metrics` run) is
// timed over all of them, then the agent's once-a-minute alert evaluation (`SLOEvaluation`, window
// sums in SQLite) side by side with its peer, the evaluation that read every minute of every
// objective into an `SLOSeries`. VmHWM is read from /proc/self/status.

import Foundation
import SlipwayCore

func option(_ name: String, _ fallback: Int) -> Int {
    guard let index = CommandLine.arguments.firstIndex(of: name), index + 1 < CommandLine.arguments.count else { return fallback }
    return Int(CommandLine.arguments[index + 1]) ?? fallback
}

func peakKB() -> Int {
    let text = (try? String(contentsOfFile: "/proc/self/status", encoding: .utf8)) ?? ""
    let line = text.split(separator: "\n").first { $0.hasPrefix("VmHWM:") } ?? ""
    return Int(line.split(separator: " ").dropFirst().first ?? "") ?? -1
}

func elapsed(_ start: ContinuousClock.Instant) -> Double {
    let duration = ContinuousClock.now - start
    return Double(duration.components.seconds) + Double(duration.components.attoseconds) / 1e18
}

let components = option("--components", 100)
let environments = option("--environments", 3)
let minutes = option("--days", 30) * 1440
let end = EventStore.minute(of: Date())
let objectives = SLOSettings().objectives

/// A subject's minutes: 1000 requests each, a few bad in a pattern that differs per subject.
func series(subject: Int, objective: Int) -> [SLIMinute] {
    ((end - minutes)..<end).map { minute in
        SLIMinute(minute: minute, total: 1000, bad: (minute &* 31 &+ subject &* 7 &+ objective) % 997 == 0 ? 50 : (minute % 11 == 0 ? 1 : 0))
    }
}

print("subjects: \(components) components x \(environments) environments, \(objectives.count) objectives, \(minutes) minutes each")
var computeSeconds = 0.0
var checksum = 0.0
for subject in 0..<(components * environments) {
    for (index, objective) in objectives.enumerated() {
        let data = series(subject: subject, objective: index)
        let start = ContinuousClock.now
        let built = SLOSeries(data)
        let status = SLOStatus(objective: objective, series: built, at: end)
        var alerting = SLOAlerting(objective: objective)
        let alerts = alerting.evaluate(built, at: end)
        computeSeconds += elapsed(start)
        checksum += status.budgetRemaining + Double(alerts.count)
    }
}
let evaluations = components * environments * objectives.count
print(String(format: "pure: %d evaluations (series + status + alerts) in %.3f s, %.3f ms each; VmHWM %d MB (checksum %.3f)",
             evaluations, computeSeconds, computeSeconds * 1000 / Double(evaluations), peakKB() / 1024, checksum))

if let index = CommandLine.arguments.firstIndex(of: "--store"), index + 1 < CommandLine.arguments.count {
    let folder = URL(fileURLWithPath: CommandLine.arguments[index + 1])
    try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
    let store = try EventStore(path: folder.appendingPathComponent("state.db"), actor: "bench")
    // --reuse: a store filled by an earlier run with the same sizes is timed again without refilling.
    let reuse = try CommandLine.arguments.contains("--reuse") && !store.sliSubjects().isEmpty
    let fill = ContinuousClock.now
    for subject in 0..<(components * environments) where !reuse {
        try store.add(series(subject: subject, objective: 0).map {
            EventStore.SLIIncrement(
                component: "component-\(subject / environments)", environment: "env-\(subject % environments)",
                objective: "availability", minute: $0)
        })
    }
    print(reuse
        ? "store: reused the rows of an earlier run (not refilled)"
        : String(format: "store: %d availability rows written in %.1f s (not part of the figure)",
                 components * environments * minutes, elapsed(fill)))
    let workspaceFolder = folder.appendingPathComponent("workspace")
    try FileManager.default.createDirectory(at: workspaceFolder, withIntermediateDirectories: true)
    let workspace = try Workspace.load(at: workspaceFolder)
    for run in 1...3 {
        let start = ContinuousClock.now
        let report = try SLOReport(store: store, workspace: workspace, environment: nil, now: Date())
        print(String(format: "store run %d: SLOReport over %d subjects (%d entries) in %.2f s; VmHWM %d MB",
                     run, components * environments, report.entries.count, elapsed(start), peakKB() / 1024))
    }
    for run in 1...3 {
        let start = ContinuousClock.now
        let evaluation = try SLOEvaluation(store: store, workspace: workspace, earlier: [:], now: Date())
        print(String(format: "store run %d: SLOEvaluation (agent alerts, sums in SQLite) over %d subjects (%d objectives, %d alerts) in %.3f s; VmHWM %d MB",
                     run, components * environments, evaluation.states.count, evaluation.alerts.count, elapsed(start), peakKB() / 1024))
    }
    let start = ContinuousClock.now
    var peerAlerts = 0
    let minute = EventStore.minute(of: Date())
    for subject in try store.sliSubjects() {
        for objective in objectives {
            let read = try store.sliMinutes(
                component: subject.component, environment: subject.environment, objective: objective.name,
                since: minute - objective.windowMinutes)
            var alerting = SLOAlerting(objective: objective)
            peerAlerts += alerting.evaluate(SLOSeries(read), at: minute).count
        }
    }
    print(String(format: "peer: the same evaluation reading every minute into SLOSeries (%d alerts) in %.3f s; VmHWM %d MB",
                 peerAlerts, elapsed(start), peakKB() / 1024))
}
