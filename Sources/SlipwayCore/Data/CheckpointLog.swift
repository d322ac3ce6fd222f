import Foundation
import Synchronization

/// The checkpoints a running rebuild reported, and which of them were recorded: one is recorded
/// when `interval` has passed since the last recorded one; the newest unrecorded one is recorded
/// when the rebuild ends, so a resume starts from the last position the rebuild committed.
final class CheckpointLog: Sendable {
    private struct State {
        var last: CheckpointLine?
        var unrecorded: CheckpointLine?
        var recordedAt: Date?
        /// The rebuild's other output, its last lines kept for the failure's message.
        var lines: [String] = []
    }

    private let state = Mutex(State())

    var last: CheckpointLine? { state.withLock { $0.last } }
    var unrecorded: CheckpointLine? { state.withLock { $0.unrecorded } }
    var lines: [String] { state.withLock { $0.lines } }

    /// Notes `checkpoint`, calling `record` (outside the lock) when it is due.
    func report(_ checkpoint: CheckpointLine, now: Date, interval: TimeInterval, record: (CheckpointLine) -> Void) {
        let due = state.withLock { state -> Bool in
            state.last = checkpoint
            let due = state.recordedAt.map { now.timeIntervalSince($0) >= interval } ?? true
            if due { state.recordedAt = now }
            state.unrecorded = due ? nil : checkpoint
            return due
        }
        if due { record(checkpoint) }
    }

    /// Keeps `line`, with at most `limit` lines kept.
    func keep(_ line: String, limit: Int) {
        state.withLock { state in
            state.lines.append(line)
            if state.lines.count > limit { state.lines.removeFirst(state.lines.count - limit) }
        }
    }
}
