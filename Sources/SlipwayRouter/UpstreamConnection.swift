import NIOCore
import NIOHTTP1
import NIOPosix

/// A keep-alive HTTP/1.1 connection to one colour's upstream, opened on the event loop of the
/// client connection that needed it, so a proxied request never hops between threads.
final class UpstreamConnection: Sendable {
    let channel: any Channel
    let color: SlotColor
    let address: UpstreamAddress
    /// Which `setUpstream` call this connection belongs to; a later one retires it.
    let generation: Int
    private let handler: NIOLoopBound<UpstreamResponseHandler>
    private let writer: NIOLoopBound<UpstreamRequestWriter>

    private init(
        channel: any Channel, color: SlotColor, address: UpstreamAddress, generation: Int,
        handler: NIOLoopBound<UpstreamResponseHandler>, writer: NIOLoopBound<UpstreamRequestWriter>
    ) {
        self.channel = channel
        self.color = color
        self.address = address
        self.generation = generation
        self.handler = handler
        self.writer = writer
    }

    var eventLoop: any EventLoop { channel.eventLoop }

    static func open(
        to address: UpstreamAddress, color: SlotColor, generation: Int,
        on eventLoop: any EventLoop, connectTimeout: TimeAmount
    ) -> EventLoopFuture<UpstreamConnection> {
        ClientBootstrap(group: eventLoop)
            .connectTimeout(connectTimeout)
            .channelInitializer { channel in
                channel.eventLoop.makeCompletedFuture {
                    try channel.pipeline.syncOperations.addHandler(UpstreamRequestWriter())
                    try channel.pipeline.syncOperations.addHandler(UpstreamResponseHandler())
                }
            }
            .connect(host: address.host, port: address.port)
            .flatMapThrowing { channel in
                let handler = try channel.pipeline.syncOperations.handler(type: UpstreamResponseHandler.self)
                let writer = try channel.pipeline.syncOperations.handler(type: UpstreamRequestWriter.self)
                return UpstreamConnection(
                    channel: channel, color: color, address: address, generation: generation,
                    handler: NIOLoopBound(handler, eventLoop: channel.eventLoop),
                    writer: NIOLoopBound(writer, eventLoop: channel.eventLoop)
                )
            }
    }

    /// Writes a whole request, a client's as it came (the head is rewritten for the upstream as it
    /// is written; `path` stands in for an absolute-form target), from `clientAddress`; the
    /// response goes to `receiver`. Call on the connection's loop. With `batch` (the loop's), the
    /// flush waits for the end of the loop iteration.
    func send(
        _ head: ClientRequestHead, path: String?, body: ByteBuffer?, from clientAddress: String?,
        to receiver: any UpstreamResponseReceiver, flushingWith batch: UpstreamFlushBatch?
    ) {
        // The client's version decides whether a chunked answer reaches it as it is: HTTP/1.0
        // knows no chunks.
        handler.value.expectResponse(to: receiver, toHEAD: head.method.isHEAD, passingChunks: head.version == .http1_1)
        writer.value.write(head, path: path, body: body, from: clientAddress)
        if let batch {
            batch.add(self)
        } else {
            flush()
        }
    }

    /// Flushes what was written, from the writer's place: a flush from the channel would pass
    /// the response handler and the writer first. Call on the connection's loop.
    func flush() {
        writer.value.flush()
    }

    /// Pauses reading while the client cannot take more, so a large response is not buffered
    /// in memory. Call on the connection's loop.
    func setReading(_ isReading: Bool) {
        // Setting a channel option goes through an existential and a cast; most calls change nothing.
        guard handler.value.isReading != isReading else { return }
        handler.value.isReading = isReading
        try? channel.syncOptions?.setOption(.autoRead, value: isReading)
    }

    /// Closes the connection without reporting to the request that gave up on it.
    func abandon() {
        handler.value.stopReporting()
        channel.close(promise: nil)
    }
}
