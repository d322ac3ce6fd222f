import Foundation
import SlipwayCore

/// Reads the store as it was at a past moment for the past view: the projection through one
/// event (a checkpoint and a short fold), the runs started by then, the events up to it, the
/// objectives over the minutes before it and the alerts firing at it.
struct PastLoader: Sendable {
    let engine: Engine

    /// The message answering `target`: the past snapshot, or why it could not be read.
    func load(_ target: PastView.Target) -> ConsoleMessage {
        do throws(SlipwayError) {
            let mark: EventMark?
            switch target {
            case .moment(let date): mark = try engine.eventMark(atOrBefore: date)
            case .newest: mark = try engine.latestEventMark()
            case .step(let from, let by): mark = try engine.eventMark(steps: by, from: from)
            }
            guard let mark else { return .pastLoaded(target, nil, ConsoleSnapshot()) }
            // The past has no live probes: health is the last check recorded by then.
            let fleet = try engine.fleetSnapshot(through: mark, runLimit: StoreWatcher.runLimit)
            let snapshot = ConsoleSnapshot(
                rows: fleet.rows, runs: fleet.runs, states: fleet.projection.states,
                events: try engine.latestEvents(limit: StoreWatcher.eventLimit, through: mark.id),
                objectives: try SLOLine.lines(engine, at: mark.time),
                alerts: FiringAlert.marking(
                    FiringAlert.firing(in: try engine.raisedAlerts(limit: StoreWatcher.alertEventLimit, through: mark.id)),
                    silencedBy: try engine.silences(at: mark.time)))
            return .pastLoaded(target, mark, snapshot)
        } catch {
            return .loadFailed("cannot read the past: \(error.message)")
        }
    }
}
