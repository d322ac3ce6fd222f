import NIOCore
import NIOHTTP1

/// Serves a client connection beyond its route's cap: reads the request head, as nginx's
/// `limit_conn` does, so the client can read the answer, then answers 503 and closes. A client
/// that sends no head within the header timeout is closed without one.
final class ConnectionLimitResponder: ChannelInboundHandler {
    typealias InboundIn = HTTPServerRequestPart
    typealias OutboundOut = HTTPServerResponsePart

    private let route: String
    private let configuration: RouterConfiguration
    private var headTimer: Scheduled<Void>?
    private var answered = false

    init(route: String, configuration: RouterConfiguration) {
        self.route = route
        self.configuration = configuration
    }

    func handlerAdded(context: ChannelHandlerContext) {
        let channel = context.channel
        headTimer = context.eventLoop.scheduleTask(in: TimeAmount(configuration.clientHeaderTimeout)) {
            channel.close(promise: nil)
        }
    }

    func handlerRemoved(context: ChannelHandlerContext) {
        headTimer?.cancel()
        headTimer = nil
    }

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        guard case .head(let request) = unwrapInboundIn(data), !answered else { return }
        answered = true
        headTimer?.cancel()
        let body = context.channel.allocator.buffer(
            string: "slipway router: route \(route) has \(configuration.maximumClientConnections) connections open, "
                + "the most it takes\n")
        var head = HTTPResponseHead(version: request.version, status: .serviceUnavailable)
        head.headers.add(name: "content-type", value: "text/plain; charset=utf-8")
        head.headers.add(name: "content-length", value: String(body.readableBytes))
        head.headers.add(name: "connection", value: "close")
        context.write(wrapOutboundOut(.head(head)), promise: nil)
        if request.method != .HEAD {
            context.write(wrapOutboundOut(.body(.byteBuffer(body))), promise: nil)
        }
        let channel = context.channel
        context.writeAndFlush(wrapOutboundOut(.end(nil))).whenComplete { _ in channel.close(promise: nil) }
    }

    func userInboundEventTriggered(context: ChannelHandlerContext, event: Any) {
        if event is ChannelShouldQuiesceEvent, !answered {
            context.close(promise: nil)
        } else {
            context.fireUserInboundEventTriggered(event)
        }
    }

    func errorCaught(context: ChannelHandlerContext, error: any Error) {
        context.close(promise: nil)
    }
}
