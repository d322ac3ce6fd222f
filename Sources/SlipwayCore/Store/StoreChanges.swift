import Foundation
import Synchronization

/// Tells who waits on it that the store's newest event id moved: what a console or an agent
/// waits on instead of reading the store on a timer. Its source (a PostgreSQL listener, or a poll
/// of the embedded store) runs in a task of its own for as long as this object lives.
///
/// Changes coalesce into the newest id, which is kept until someone waits again: a change made
/// while no one waited, or while the source had lost its connection, is never lost.
public final class StoreChanges: Sendable {
    /// Tells the newest event id the source read or was told of.
    public typealias Signal = @Sendable (Int64) -> Void

    private struct Waiter {
        let seen: Int64
        let continuation: CheckedContinuation<Void, Never>
    }

    private struct State {
        /// Nil until the source first read the store.
        var latest: Int64?
        var nudged = false
        var nextWaiter = 0
        var waiters: [Int: Waiter] = [:]
        /// Waits begun and not yet returned.
        var open: Set<Int> = []
        /// Open waits ended (by their time or their task's cancellation) before they were registered.
        var ended: Set<Int> = []
    }

    private let state = Mutex(State())
    private let source = Mutex<Task<Void, Never>?>(nil)
    private let clock: any EngineClock

    /// Starts `source`, which signals the newest id each time it learns it, until its task is
    /// cancelled (when this object goes).
    public init(clock: any EngineClock, source: @escaping @Sendable (_ signal: @escaping Signal) async -> Void) {
        self.clock = clock
        let signal: Signal = { [weak self] id in self?.signal(id) }
        self.source.withLock { $0 = Task { await source(signal) } }
    }

    deinit {
        source.withLock { $0?.cancel() }
    }

    /// The newest event id signalled so far; nil before the source first read the store.
    public var latest: Int64? { state.withLock { $0.latest } }

    /// Waits until an event id above `seen` is signalled, `nudge()` is called, `timeout` seconds
    /// of the clock pass, or the task is cancelled; returns the newest id signalled (or `seen`
    /// when none was yet).
    @discardableResult
    public func wait(after seen: Int64, atMost timeout: Double) async -> Int64 {
        let id = state.withLock { state in
            state.nextWaiter += 1
            state.open.insert(state.nextWaiter)
            return state.nextWaiter
        }
        let timer = Task { [clock] in
            guard (try? await clock.sleep(seconds: timeout)) != nil else { return }
            self.end(id)
        }
        await withTaskCancellationHandler {
            await withCheckedContinuation { (continuation: CheckedContinuation<Void, Never>) in
                let ready = state.withLock { state in
                    if state.ended.remove(id) != nil { return true }
                    if state.nudged || (state.latest ?? seen) > seen {
                        state.nudged = false
                        return true
                    }
                    state.waiters[id] = Waiter(seen: seen, continuation: continuation)
                    return false
                }
                if ready { continuation.resume() }
            }
        } onCancel: {
            self.end(id)
        }
        timer.cancel()
        return state.withLock { state in
            state.open.remove(id)
            state.ended.remove(id)
            return state.latest ?? seen
        }
    }

    /// Ends one waiter's wait now, as a change would: a console's reload request. Kept for the
    /// next wait when no one waits.
    public func nudge() {
        let woken = state.withLock { state in
            guard let first = state.waiters.keys.min() else {
                state.nudged = true
                return [CheckedContinuation<Void, Never>]()
            }
            return [state.waiters.removeValue(forKey: first)!.continuation]
        }
        for continuation in woken { continuation.resume() }
    }

    /// Records `id` as the newest (ids only grow; an older one is ignored) and ends the waits of
    /// those who saw less.
    func signal(_ id: Int64) {
        let woken = state.withLock { state in
            guard id > state.latest ?? Int64.min else { return [CheckedContinuation<Void, Never>]() }
            state.latest = id
            let due = state.waiters.filter { $0.value.seen < id }
            for key in due.keys { state.waiters[key] = nil }
            return due.values.map(\.continuation)
        }
        for continuation in woken { continuation.resume() }
    }

    /// Ends wait `id`: now when it is registered, else as soon as it registers.
    private func end(_ id: Int) {
        let waiter = state.withLock { state in
            guard let waiter = state.waiters.removeValue(forKey: id) else {
                if state.open.contains(id) { state.ended.insert(id) }
                return Waiter?.none
            }
            return waiter
        }
        waiter?.continuation.resume()
    }
}

extension StoreChanges {
    /// Changes of a store that cannot tell of them: its newest id read every `interval` seconds
    /// of `clock` (a read that fails is tried again next time).
    public static func polling(
        every interval: Double, clock: any EngineClock, latest: @escaping @Sendable () throws(SlipwayError) -> Int64
    ) -> StoreChanges {
        StoreChanges(clock: clock) { signal in
            while !Task.isCancelled {
                if let id = try? latest() { signal(id) }
                guard (try? await clock.sleep(seconds: interval)) != nil else { return }
            }
        }
    }
}
