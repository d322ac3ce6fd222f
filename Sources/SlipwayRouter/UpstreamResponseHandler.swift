import NIOCore
import NIOHTTP1

/// Hands each part of an upstream response to the request waiting for it, and tells that request
/// when the connection breaks first.
final class UpstreamResponseHandler: ChannelInboundHandler {
    typealias InboundIn = HTTPClientResponsePart

    var receiver: (any UpstreamResponseReceiver)?
    /// The channel's `autoRead`, as last set through ``UpstreamConnection/setReading(_:)``.
    var isReading = true

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        let part = unwrapInboundIn(data)
        guard let receiver else {
            // Bytes nobody asked for: this connection can no longer be trusted with a request.
            context.close(promise: nil)
            return
        }
        if case .end = part {
            self.receiver = nil
        }
        receiver.upstreamDidReceive(part)
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
        receiver?.upstreamDidFail()
        context.fireChannelInactive()
    }
}
