import NIOCore

/// Upstream connections with a request written but not yet flushed, on one event loop. They are
/// flushed together once the loop has handled every I/O event it woke up for: a flush wakes the
/// upstream, which on a shared core preempts the router, so one per request in the middle of a
/// batch of client reads costs a context switch each time.
final class UpstreamFlushBatch {
    private let eventLoop: any EventLoop
    private var connections: [UpstreamConnection] = []

    init(eventLoop: any EventLoop) {
        self.eventLoop = eventLoop
    }

    /// Flushes `connection` at the end of this loop iteration. Call on the batch's loop.
    func add(_ connection: UpstreamConnection) {
        connections.append(connection)
        if connections.count == 1 {
            // Tasks queued on the loop's own thread run after its I/O events, without a wake-up.
            eventLoop.assumeIsolated().execute { self.flushAll() }
        }
    }

    private func flushAll() {
        var index = 0
        while index < connections.count {
            connections[index].flush()
            index += 1
        }
        connections.removeAll(keepingCapacity: true)
    }
}
