import Foundation
import NIOCore
import NIOHTTP1
import NIOPosix

/// The agent's `/metrics`: an HTTP server on loopback whose one page is the Prometheus text
/// the agent makes in its turn (so it never reads state mid-change), served to requests
/// bearing the token (401 otherwise).
final class MetricsEndpoint: Sendable {
    let channel: any Channel
    let token: MetricsToken

    private init(channel: any Channel, token: MetricsToken) {
        self.channel = channel
        self.token = token
    }

    /// Listens on `host:port` (0: any free port); `page` makes the text.
    static func bind(host: String, port: Int, token: MetricsToken, page: @escaping @Sendable () async -> String) async throws
        -> MetricsEndpoint
    {
        let channel = try await ServerBootstrap(group: MultiThreadedEventLoopGroup.singleton)
            .serverChannelOption(.socketOption(.so_reuseaddr), value: 1)
            .childChannelInitializer { channel in
                channel.eventLoop.makeCompletedFuture {
                    try channel.pipeline.syncOperations.configureHTTPServerPipeline(withErrorHandling: true)
                    try channel.pipeline.syncOperations.addHandler(MetricsHandler(token: token, page: page))
                }
            }
            .bind(host: host, port: port)
            .get()
        return MetricsEndpoint(channel: channel, token: token)
    }

    var url: String { "http://127.0.0.1:\(channel.localAddress?.port ?? 0)/metrics" }
}

private final class MetricsHandler: ChannelInboundHandler, Sendable {
    typealias InboundIn = HTTPServerRequestPart
    typealias OutboundOut = HTTPServerResponsePart

    let token: MetricsToken
    let page: @Sendable () async -> String

    init(token: MetricsToken, page: @escaping @Sendable () async -> String) {
        self.token = token
        self.page = page
    }

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        guard case .head(let head) = unwrapInboundIn(data) else { return }
        let keepAlive = head.isKeepAlive
        let loop = context.eventLoop
        let bound = NIOLoopBound(context, eventLoop: loop)
        guard head.method == .GET, head.uri.split(separator: "?").first == "/metrics" else {
            respond(bound.value, status: .notFound, body: "only /metrics here\n", keepAlive: keepAlive)
            return
        }
        guard token.admits(head.headers.first(name: "authorization")) else {
            respond(bound.value, status: .unauthorized, body: "/metrics needs 'Authorization: Bearer' with the token in \(token.file.path)\n",
                    keepAlive: keepAlive)
            return
        }
        let page = self.page
        Task {
            let text = await page()
            loop.execute { self.respond(bound.value, status: .ok, body: text, keepAlive: keepAlive) }
        }
    }

    private func respond(_ context: ChannelHandlerContext, status: HTTPResponseStatus, body: String, keepAlive: Bool) {
        var headers = HTTPHeaders()
        headers.add(name: "Content-Type", value: "text/plain; version=0.0.4; charset=utf-8")
        headers.add(name: "Content-Length", value: String(body.utf8.count))
        if !keepAlive { headers.add(name: "Connection", value: "close") }
        context.write(wrapOutboundOut(.head(HTTPResponseHead(version: .http1_1, status: status, headers: headers))), promise: nil)
        context.write(wrapOutboundOut(.body(.byteBuffer(context.channel.allocator.buffer(string: body)))), promise: nil)
        let done = context.writeAndFlush(wrapOutboundOut(.end(nil)))
        if !keepAlive {
            let channel = context.channel
            done.whenComplete { _ in channel.close(promise: nil) }
        }
    }
}
