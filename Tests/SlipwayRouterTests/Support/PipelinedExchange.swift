import NIOCore
import NIOHTTP1
import NIOPosix

/// Writes several HTTP/1.1 requests with one flush on one connection, as a pipelining client does,
/// and collects the responses until the router closes the connection (the last request says close).
enum PipelinedExchange {
    struct Request: Sendable {
        var head: HTTPRequestHead
        var body: String?
    }

    static func send(_ requests: [Request], port: Int, timeout: TimeAmount = .seconds(10)) async throws -> [TestResponse] {
        let promise = MultiThreadedEventLoopGroup.singleton.next().makePromise(of: [TestResponse].self)
        let channel = try await ClientBootstrap(group: promise.futureResult.eventLoop)
            .channelInitializer { channel in
                channel.eventLoop.makeCompletedFuture {
                    try channel.pipeline.syncOperations.addHTTPClientHandlers()
                    try channel.pipeline.syncOperations.addHandler(ResponseList(promise: promise))
                }
            }
            .connect(host: "127.0.0.1", port: port)
            .get()
        let timer = channel.eventLoop.scheduleTask(in: timeout) {
            promise.fail(TestClientError(description: "the pipelined responses did not end within \(timeout)"))
            channel.close(promise: nil)
        }
        defer { timer.cancel() }
        for request in requests {
            channel.write(HTTPClientRequestPart.head(request.head), promise: nil)
            if let body = request.body {
                channel.write(HTTPClientRequestPart.body(.byteBuffer(ByteBuffer(string: body))), promise: nil)
            }
            channel.write(HTTPClientRequestPart.end(nil), promise: nil)
        }
        channel.flush()
        return try await promise.futureResult.get()
    }
}

private final class ResponseList: ChannelInboundHandler {
    typealias InboundIn = HTTPClientResponsePart

    private let promise: EventLoopPromise<[TestResponse]>
    private var responses: [TestResponse] = []

    init(promise: EventLoopPromise<[TestResponse]>) {
        self.promise = promise
    }

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        switch unwrapInboundIn(data) {
        case .head(let head):
            responses.append(TestResponse(status: head.status, headers: head.headers, body: ""))
        case .body(let buffer):
            responses[responses.count - 1].body += String(buffer: buffer)
        case .end:
            break
        }
    }

    func channelInactive(context: ChannelHandlerContext) {
        promise.succeed(responses)
        context.fireChannelInactive()
    }
}
