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
            let store = engine.store
            let mark: EventMark?
            switch target {
            case .moment(let date): mark = try store.lastEvent(atOrBefore: date)
            case .newest: mark = try store.latestEvent()
            case .step(let from, let by): mark = try store.event(steps: by, from: from)
            }
            guard let mark else { return .pastLoaded(target, nil, ConsoleSnapshot()) }
            let projection = try store.projection(through: mark.id)
            // The past has no live probes: health is the last check recorded by then.
            let snapshot = ConsoleSnapshot(
                rows: FleetRow.rows(workspace: engine.workspace, projection: projection, now: mark.time),
                runs: try store.runs(asOf: mark.time, limit: StoreWatcher.runLimit), states: projection.states,
                events: try store.latestEvents(limit: StoreWatcher.eventLimit, through: mark.id),
                objectives: try SLOLine.lines(engine, at: mark.time),
                alerts: FiringAlert.marking(
                    FiringAlert.firing(in: try store.latestEvents(kind: .alertRaised, limit: StoreWatcher.alertEventLimit, through: mark.id)),
                    silencedBy: try store.silences(at: mark.time)))
            return .pastLoaded(target, mark, snapshot)
        } catch {
            return .loadFailed("cannot read the past: \(error.message)")
        }
    }
}
