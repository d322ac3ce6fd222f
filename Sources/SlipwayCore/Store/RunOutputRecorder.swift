import Foundation
import Logging
import Synchronization

/// A run's output on its way to the store. Lines are numbered as they come and stored in
/// batches, one transaction each: when `batchSize` lines wait, or `batchInterval` after the
/// first of them came, whichever is first. The writes happen on a queue of their own, so
/// whoever prints the lines never waits on the store, and in the order the lines came.
public final class RunOutputRecorder: Sendable {
    /// A transaction a line costs about as much as the line itself; a thousand share one.
    public static let batchSize = 1_000
    /// How long a line may wait for its batch: followers (the console, a requester) see it
    /// within this much of the printing.
    public static let batchInterval: DispatchTimeInterval = .milliseconds(50)

    private struct Pending {
        var lines: [String] = []
        /// The number of the first line in `lines`.
        var first: Int
        /// When the first of `lines` came: the batch is stored with that time.
        var since = Date()
        /// A write of everything waiting is queued (for a full batch, or by the timer).
        var writeQueued = false
        var timerArmed = false
    }

    private let store: EventStore
    private let runID: String
    private let pending: Mutex<Pending>
    private let queue = DispatchQueue(label: "slipway.run-output")

    /// Numbers lines from the one after `last` (a resumed run goes on after its stored output).
    public init(store: EventStore, runID: String, after last: Int) {
        self.store = store
        self.runID = runID
        self.pending = Mutex(Pending(first: last + 1))
    }

    /// Numbers `line` and keeps it for its batch.
    public func record(_ line: String) {
        pending.withLock { pending in
            if pending.lines.isEmpty { pending.since = Date() }
            pending.lines.append(line)
            if pending.lines.count >= Self.batchSize, !pending.writeQueued {
                pending.writeQueued = true
                queue.async { self.writeWaiting() }
            }
            if !pending.timerArmed {
                pending.timerArmed = true
                queue.asyncAfter(deadline: .now() + Self.batchInterval) { self.writeWaiting(timer: true) }
            }
        }
    }

    /// Returns once every line recorded so far is stored.
    public func flush() async {
        await withCheckedContinuation { (done: CheckedContinuation<Void, Never>) in
            queue.async {
                self.writeWaiting()
                done.resume()
            }
        }
    }

    /// Stores every waiting line in one transaction. Only ever on `queue`: lines are taken and
    /// written in one order, so a follower reading after the last line it saw misses none.
    private func writeWaiting(timer: Bool = false) {
        let (lines, first, since) = pending.withLock { pending in
            let taken = (pending.lines, pending.first, pending.since)
            pending.first += pending.lines.count
            pending.lines = []
            pending.writeQueued = false
            if timer { pending.timerArmed = false }
            return taken
        }
        // Output is a record of the run, not the run itself: a store that cannot take it (held
        // by another process past the lock timeout) does not stop the work, but the loss is said.
        guard !lines.isEmpty else { return }
        do {
            try store.appendOutput(runID: runID, firstSequence: first, lines: lines, time: since)
        } catch {
            Logger(label: "slipway.store").error(
                "run \(runID): lines \(first)-\(first + lines.count - 1) of its output were not stored: \(error.message)")
        }
    }
}
