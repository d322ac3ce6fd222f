import NIOCore

/// One ``UpstreamFlushBatch`` per event loop of a router.
struct UpstreamFlushBatches: Sendable {
    private let batches: [ObjectIdentifier: NIOLoopBoundBox<UpstreamFlushBatch>]

    init(group: any EventLoopGroup) {
        var batches: [ObjectIdentifier: NIOLoopBoundBox<UpstreamFlushBatch>] = [:]
        for eventLoop in group.makeIterator() {
            // Built off the loops; each batch is only ever touched on its own.
            batches[ObjectIdentifier(eventLoop)] = .makeBoxSendingValue(
                UpstreamFlushBatch(eventLoop: eventLoop), eventLoop: eventLoop)
        }
        self.batches = batches
    }

    /// The batch of `eventLoop`. Call on that loop.
    func batch(for eventLoop: any EventLoop) -> UpstreamFlushBatch? {
        batches[ObjectIdentifier(eventLoop)]?.value
    }
}
