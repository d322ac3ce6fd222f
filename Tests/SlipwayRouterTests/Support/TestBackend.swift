import NIOCore
import NIOHTTP1
import NIOPosix
import Synchronization

/// A tiny upstream standing in for one colour's release. The path picks what it does:
/// `/fail` answers 500, `/hold` waits for ``releaseHeldRequests()``, `/hang` never answers,
/// `/echo` answers with the request body's size, `/headers` with the request line and headers it
/// got (one a line) and the body's size, `/chunked` streams the name in two chunks with a
/// header only Connection marks hop-by-hop, `/no-content` answers 204 and `/not-modified` 304,
/// `/small-in-parts` and `/large` answer ``smallBodyInParts`` and ``largeBody`` with their length,
/// in four flushed parts; anything else answers 200 with the name.
final class TestBackend: Sendable {
    /// Smaller than what the router writes with a response's head, so that its parts are joined.
    static let smallBodyInParts = String(repeating: "abcdefghi\n", count: 300)
    /// Larger than what the router writes with a response's head.
    static let largeBody = String(repeating: "0123456789", count: 10_000)

    final class Counters: Sendable {
        struct State {
            var accepted = 0
            var open: [ObjectIdentifier: any Channel] = [:]
            var held: [EventLoopPromise<Void>] = []
        }

        let state = Mutex(State())

        func accept(_ channel: any Channel) {
            state.withLock { state in
                state.accepted += 1
                state.open[ObjectIdentifier(channel)] = channel
            }
            channel.closeFuture.whenComplete { _ in
                _ = self.state.withLock { $0.open.removeValue(forKey: ObjectIdentifier(channel)) }
            }
        }

        func hold(_ promise: EventLoopPromise<Void>) {
            state.withLock { $0.held.append(promise) }
        }
    }

    let name: String
    let port: Int
    private let listener: any Channel
    private let counters: Counters

    private init(name: String, port: Int, listener: any Channel, counters: Counters) {
        self.name = name
        self.port = port
        self.listener = listener
        self.counters = counters
    }

    static func start(_ name: String) async throws -> TestBackend {
        let counters = Counters()
        let listener = try await ServerBootstrap(group: MultiThreadedEventLoopGroup.singleton)
            .serverChannelOption(.socketOption(.so_reuseaddr), value: 1)
            .childChannelInitializer { channel in
                counters.accept(channel)
                return channel.eventLoop.makeCompletedFuture {
                    try channel.pipeline.syncOperations.configureHTTPServerPipeline()
                    try channel.pipeline.syncOperations.addHandler(BackendHandler(name: name, counters: counters))
                }
            }
            .bind(host: "127.0.0.1", port: 0)
            .get()
        return TestBackend(name: name, port: listener.localAddress!.port!, listener: listener, counters: counters)
    }

    var acceptedConnections: Int { counters.state.withLock { $0.accepted } }
    var openConnections: Int { counters.state.withLock { $0.open.count } }
    var heldRequests: Int { counters.state.withLock { $0.held.count } }

    func releaseHeldRequests() {
        let held = counters.state.withLock { state in
            defer { state.held = [] }
            return state.held
        }
        for promise in held {
            promise.succeed()
        }
    }

    /// Stops listening and drops every connection, as a killed process would.
    func stop() async {
        try? await listener.close().get()
        let open = counters.state.withLock { Array($0.open.values) }
        for channel in open {
            try? await channel.close().get()
        }
    }
}

private final class BackendHandler: ChannelInboundHandler {
    typealias InboundIn = HTTPServerRequestPart
    typealias OutboundOut = HTTPServerResponsePart

    let name: String
    let counters: TestBackend.Counters
    private var head: HTTPRequestHead?
    private var bodySize = 0

    init(name: String, counters: TestBackend.Counters) {
        self.name = name
        self.counters = counters
    }

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        switch unwrapInboundIn(data) {
        case .head(let head):
            self.head = head
            bodySize = 0
        case .body(let buffer):
            bodySize += buffer.readableBytes
        case .end:
            guard let head else { return }
            switch head.uri {
            case "/fail":
                respond(.internalServerError, body: name, to: head, context: context)
            case "/echo":
                respond(.ok, body: String(bodySize), to: head, context: context)
            case "/hang":
                break
            case "/headers":
                let lines = ["\(head.method) \(head.uri) \(head.version)"] + head.headers.map { "\($0.name): \($0.value)" }
                respond(.ok, body: (lines + ["body: \(bodySize)"]).joined(separator: "\n"), to: head, context: context)
            case "/chunked":
                let head = HTTPResponseHead(
                    version: head.version, status: .ok,
                    headers: ["connection": "x-private", "x-private": "1", "x-kept": "yes"])
                context.write(wrapOutboundOut(.head(head)), promise: nil)
                for part in [name.prefix(2), name.dropFirst(2)] {
                    let buffer = context.channel.allocator.buffer(string: String(part))
                    context.writeAndFlush(wrapOutboundOut(.body(.byteBuffer(buffer))), promise: nil)
                }
                context.writeAndFlush(wrapOutboundOut(.end(nil)), promise: nil)
            case "/no-content":
                context.write(wrapOutboundOut(.head(HTTPResponseHead(version: head.version, status: .noContent))), promise: nil)
                context.writeAndFlush(wrapOutboundOut(.end(nil)), promise: nil)
            case "/not-modified":
                let notModified = HTTPResponseHead(version: head.version, status: .notModified, headers: ["etag": "\"1\""])
                context.write(wrapOutboundOut(.head(notModified)), promise: nil)
                context.writeAndFlush(wrapOutboundOut(.end(nil)), promise: nil)
            case "/small-in-parts":
                respondInParts(TestBackend.smallBodyInParts, to: head, context: context)
            case "/large":
                respondInParts(TestBackend.largeBody, to: head, context: context)
            case "/hold":
                let promise = context.eventLoop.makePromise(of: Void.self)
                counters.hold(promise)
                promise.futureResult.assumeIsolated().whenSuccess {
                    self.respond(.ok, body: self.name, to: head, context: context)
                }
            default:
                respond(.ok, body: name, to: head, context: context)
            }
        }
    }

    private func respondInParts(_ body: String, to request: HTTPRequestHead, context: ChannelHandlerContext) {
        var head = HTTPResponseHead(version: request.version, status: .ok)
        head.headers.add(name: "content-length", value: String(body.utf8.count))
        context.writeAndFlush(wrapOutboundOut(.head(head)), promise: nil)
        let part = body.utf8.count / 4
        for start in stride(from: 0, to: body.utf8.count, by: part) {
            let bytes = body.utf8.dropFirst(start).prefix(part)
            context.writeAndFlush(wrapOutboundOut(.body(.byteBuffer(context.channel.allocator.buffer(bytes: bytes)))), promise: nil)
        }
        context.writeAndFlush(wrapOutboundOut(.end(nil)), promise: nil)
    }

    private func respond(_ status: HTTPResponseStatus, body: String, to request: HTTPRequestHead, context: ChannelHandlerContext) {
        var head = HTTPResponseHead(version: request.version, status: status)
        head.headers.add(name: "content-length", value: String(body.utf8.count))
        context.write(wrapOutboundOut(.head(head)), promise: nil)
        context.write(wrapOutboundOut(.body(.byteBuffer(context.channel.allocator.buffer(string: body)))), promise: nil)
        context.writeAndFlush(wrapOutboundOut(.end(nil)), promise: nil)
    }
}
