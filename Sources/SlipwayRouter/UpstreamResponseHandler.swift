import NIOCore

/// Reads an upstream's responses as they arrive and hands their parts to the request waiting for
/// them, and tells that request when the connection breaks first or answers something malformed.
/// The channel's bytes come straight here: see ``UpstreamResponseParser`` for why NIO's decoder
/// is not in front.
final class UpstreamResponseHandler: ChannelInboundHandler {
    typealias InboundIn = ByteBuffer

    private(set) var receiver: (any UpstreamResponseReceiver)?
    /// The channel's `autoRead`, as last set through ``UpstreamConnection/setReading(_:)``.
    var isReading = true
    private var parser = UpstreamResponseParser()
    /// The upstream answered something malformed; the close that follows is a failure.
    private var isMalformed = false

    /// Hands the answer to the request just written to `receiver`.
    func expectResponse(to receiver: any UpstreamResponseReceiver, toHEAD: Bool, passingChunks: Bool) {
        self.receiver = receiver
        parser.expectResponse(toHEAD: toHEAD, passingChunks: passingChunks)
    }

    func stopReporting() {
        receiver = nil
    }

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        var buffer = unwrapInboundIn(data)
        do {
            // A receiver may send its next request from `upstreamDidReceiveEnd`, so bytes left
            // after an end are the start of that one's answer.
            while let receiver, let event = try parser.next(&buffer) {
                switch event {
                case .head(let head):
                    receiver.upstreamDidReceiveHead(head)
                case .body(let bytes):
                    receiver.upstreamDidReceiveBody(bytes)
                case .end:
                    self.receiver = nil
                    receiver.upstreamDidReceiveEnd()
                }
            }
        } catch {
            isMalformed = true
            context.close(promise: nil)
            return
        }
        if buffer.readableBytes > 0 {
            // Bytes nobody asked for: this connection can no longer be trusted with a request.
            context.close(promise: nil)
        }
    }

    func channelReadComplete(context: ChannelHandlerContext) {
        receiver?.upstreamDidFinishReading()
        context.fireChannelReadComplete()
    }

    func errorCaught(context: ChannelHandlerContext, error: any Error) {
        // channelInactive follows the close and reports the failure once.
        context.close(promise: nil)
    }

    func channelInactive(context: ChannelHandlerContext) {
        let receiver = self.receiver
        self.receiver = nil
        if !isMalformed, parser.finish() {
            // The close is how this response's body ends.
            receiver?.upstreamDidReceiveEnd()
        } else {
            receiver?.upstreamDidFail()
        }
        context.fireChannelInactive()
    }
}
