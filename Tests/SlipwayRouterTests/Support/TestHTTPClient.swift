import NIOCore
import NIOHTTP1
import NIOPosix

struct TestClientError: Error, CustomStringConvertible {
    var description: String
}

/// One keep-alive HTTP/1.1 connection to a router; its requests go one after another. A request
/// that gets no answer within `timeout` fails instead of hanging the test.
final class TestHTTPClient: Sendable {
    private let channel: any Channel
    private let collector: NIOLoopBound<ResponseCollector>
    private let timeout: TimeAmount

    private init(channel: any Channel, collector: NIOLoopBound<ResponseCollector>, timeout: TimeAmount) {
        self.channel = channel
        self.collector = collector
        self.timeout = timeout
    }

    static func connect(port: Int, timeout: TimeAmount = .seconds(10)) async throws -> TestHTTPClient {
        let channel = try await ClientBootstrap(group: MultiThreadedEventLoopGroup.singleton)
            .channelInitializer { channel in
                channel.eventLoop.makeCompletedFuture {
                    try channel.pipeline.syncOperations.addHTTPClientHandlers()
                    try channel.pipeline.syncOperations.addHandler(ResponseCollector())
                }
            }
            .connect(host: "127.0.0.1", port: port)
            .get()
        let collector = try await channel.eventLoop.submit {
            NIOLoopBound(try channel.pipeline.syncOperations.handler(type: ResponseCollector.self), eventLoop: channel.eventLoop)
        }.get()
        return TestHTTPClient(channel: channel, collector: collector, timeout: timeout)
    }

    /// A one-off request on a connection of its own.
    static func get(_ path: String, port: Int) async throws -> TestResponse {
        let client = try await connect(port: port)
        defer { client.close() }
        return try await client.send(path: path)
    }

    /// Without `announcesLength` the body goes out chunked, so its size shows only as it streams.
    func send(
        _ method: HTTPMethod = .GET, path: String, body: String? = nil, announcesLength: Bool = true
    ) async throws -> TestResponse {
        var head = HTTPRequestHead(version: .http1_1, method: method, uri: path)
        if let body, announcesLength {
            head.headers.add(name: "content-length", value: String(body.utf8.count))
        }
        return try await exchange(head, body: body, sendsBody: true)
    }

    /// Announces a body with `Expect: 100-continue` and waits for the final answer without ever
    /// sending the body, as a client does that is told not to.
    func announce(_ method: HTTPMethod, path: String, bodySize: Int) async throws -> TestResponse {
        var head = HTTPRequestHead(version: .http1_1, method: method, uri: path)
        head.headers.add(name: "content-length", value: String(bodySize))
        head.headers.add(name: "expect", value: "100-continue")
        return try await exchange(head, body: nil, sendsBody: false)
    }

    private func exchange(_ head: HTTPRequestHead, body: String?, sendsBody: Bool) async throws -> TestResponse {
        let channel = self.channel
        let collector = self.collector
        let timeout = self.timeout
        var request = head
        request.headers.add(name: "host", value: "test.local")
        let head = request
        return try await channel.eventLoop.flatSubmit {
            let promise = channel.eventLoop.makePromise(of: TestResponse.self)
            collector.value.expect(promise)
            channel.write(HTTPClientRequestPart.head(head), promise: nil)
            if let body {
                channel.write(HTTPClientRequestPart.body(.byteBuffer(ByteBuffer(string: body))), promise: nil)
            }
            if sendsBody {
                channel.write(HTTPClientRequestPart.end(nil), promise: nil)
            }
            channel.flush()
            let timer = channel.eventLoop.scheduleTask(in: timeout) {
                promise.fail(TestClientError(description: "no answer to \(head.method) \(head.uri) within \(timeout)"))
                channel.close(promise: nil)
            }
            promise.futureResult.whenComplete { _ in timer.cancel() }
            return promise.futureResult
        }.get()
    }

    var isOpen: Bool { channel.isActive }

    func close() {
        channel.close(promise: nil)
    }
}

private final class ResponseCollector: ChannelInboundHandler {
    typealias InboundIn = HTTPClientResponsePart

    private var promise: EventLoopPromise<TestResponse>?
    private var response: TestResponse?

    func expect(_ promise: EventLoopPromise<TestResponse>) {
        self.promise = promise
    }

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        switch unwrapInboundIn(data) {
        case .head(let head):
            response = TestResponse(status: head.status, headers: head.headers, body: "")
        case .body(let buffer):
            response?.body += String(buffer: buffer)
        case .end:
            if let response {
                promise?.succeed(response)
            }
            promise = nil
            response = nil
        }
    }

    func channelInactive(context: ChannelHandlerContext) {
        promise?.fail(TestClientError(description: "the router closed the connection"))
        promise = nil
        context.fireChannelInactive()
    }
}
