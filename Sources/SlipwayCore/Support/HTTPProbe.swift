import Foundation
import NIOCore
import NIOHTTP1
import NIOPosix
import NIOSSL

/// One health probe: `GET path` on a loopback port, healthy on a 2xx answer within the timeout,
/// as kamal-proxy's health check does. On SwiftNIO, as the router is: waiting for the answer
/// holds no thread.
public struct HTTPProbe: Sendable {
    public struct Response: Sendable, Equatable {
        public var status: Int
        public var body: String
    }

    public var host = "127.0.0.1"
    public var port: Int
    public var path: String
    /// Seconds the whole probe may take.
    public var timeout: Double
    /// Characters of the body kept: a health answer needs few, a metrics page more.
    public var bodyLimit = 200
    /// Over TLS, the server's certificate verified for `host` as a browser would.
    public var tls = false
    /// The roots a TLS server's certificate must chain to.
    public var trust = CertificateTrust.process
    /// The URL probed, when made from one: errors name it rather than a loopback port.
    private var url: String?

    public init(port: Int, path: String, timeout: Double) {
        self.port = port
        self.path = path
        self.timeout = timeout
    }

    /// A probe of `path` under `url` (http, or https over TLS), for a target whose users reach it
    /// at a public address; nil when `url` is not an http(s) URL with a host.
    public init?(url: String, path: String, timeout: Double) {
        guard let parts = URLComponents(string: url), let scheme = parts.scheme?.lowercased(), ["http", "https"].contains(scheme),
              let host = parts.host, !host.isEmpty else { return nil }
        let base = parts.percentEncodedPath.hasSuffix("/") ? String(parts.percentEncodedPath.dropLast()) : parts.percentEncodedPath
        self.init(port: parts.port ?? (scheme == "https" ? 443 : 80), path: base + path, timeout: timeout)
        self.host = host
        tls = scheme == "https"
        self.url = "\(scheme)://\(host)\(parts.port.map { ":\($0)" } ?? "")\(base + path)"
    }

    private var label: String { url.map { "GET \($0)" } ?? "GET \(path) on port \(port)" }

    /// The answer, or an error saying what went wrong (refused, timed out, not HTTP).
    public func perform() async -> Result<Response, SlipwayError> {
        do {
            return try await answer().get()
        } catch {
            return .failure(.failure("\(label): \(error)"))
        }
    }

    /// The answer as a future that never fails: a synchronous caller can wait on it from any
    /// thread, without a task that needs a free thread of the cooperative pool.
    public func answer() -> EventLoopFuture<Result<Response, SlipwayError>> {
        let label = self.label
        let loop = MultiThreadedEventLoopGroup.singleton.next()
        let deadline = NIODeadline.now() + .nanoseconds(Int64(max(0.001, timeout) * 1_000_000_000))
        let answer = loop.makePromise(of: Response.self)
        var head = HTTPRequestHead(version: .http1_1, method: .GET, uri: path)
        head.headers.add(name: "Host", value: "\(host):\(port)")
        head.headers.add(name: "User-Agent", value: "slipway-health")
        head.headers.add(name: "Connection", value: "close")
        let request = head
        let bodyLimit = bodyLimit
        let tlsContext: NIOSSLContext?
        do {
            tlsContext = tls ? try NIOSSLContext(configuration: trust.clientConfiguration) : nil
        } catch {
            return loop.makeSucceededFuture(.failure(.failure("\(label): cannot set up TLS: \(error)")))
        }
        let host = self.host
        // SNI takes a name, never an address.
        let serverName = (try? SocketAddress(ipAddress: host, port: port)) == nil ? host : nil
        let bootstrap = ClientBootstrap(group: loop)
            .connectTimeout(deadline - .now())
            .channelInitializer { channel in
                channel.eventLoop.makeCompletedFuture {
                    if let tlsContext {
                        try channel.pipeline.syncOperations.addHandler(NIOSSLClientHandler(context: tlsContext, serverHostname: serverName))
                    }
                    try channel.pipeline.syncOperations.addHTTPClientHandlers()
                    try channel.pipeline.syncOperations.addHandler(
                        ProbeAnswerHandler(request: request, answer: answer, bodyLimit: bodyLimit))
                }
            }
        let connected = if let address = try? SocketAddress(ipAddress: host, port: port) {
            bootstrap.connect(to: address)
        } else {
            bootstrap.connect(host: host, port: port)
        }
        return connected.flatMap { channel in
            let timer = loop.scheduleTask(deadline: deadline) { answer.fail(ProbeFailure.noAnswer) }
            return answer.futureResult
                .always { _ in
                    timer.cancel()
                    channel.close(promise: nil)
                }
                .map { Result<Response, SlipwayError>.success($0) }
                .recover { .failure(.failure("\(label): \(describe($0, waiting: "no answer"))")) }
        }.recover { error in
            answer.fail(error)
            return .failure(.failure("\(label): \(describe(error, waiting: "no connection"))"))
        }
    }

    private func describe(_ error: any Error, waiting: String) -> String {
        switch error {
        case ChannelError.connectTimeout, ProbeFailure.noAnswer: "\(waiting) within \(timeout)s"
        case ProbeFailure.closedBeforeAnswer: "the connection closed before an answer"
        case is HTTPParserError: "not an HTTP answer"
        default: ConnectionProblem.text(error, host: host, waited: timeout, connectWithin: timeout)
        }
    }
}

private enum ProbeFailure: Error {
    case noAnswer
    case closedBeforeAnswer
}

/// Sends the probe's request once connected and collects the answer: its status, and its body
/// up to 64 KiB (then cut to `bodyLimit` characters).
private final class ProbeAnswerHandler: ChannelInboundHandler {
    typealias InboundIn = HTTPClientResponsePart
    typealias OutboundOut = HTTPClientRequestPart

    private static let maximumBodyBytes = 64 << 10
    private let request: HTTPRequestHead
    private let answer: EventLoopPromise<HTTPProbe.Response>
    private let bodyLimit: Int
    private var status: Int?
    private var body: [UInt8] = []

    init(request: HTTPRequestHead, answer: EventLoopPromise<HTTPProbe.Response>, bodyLimit: Int) {
        self.request = request
        self.answer = answer
        self.bodyLimit = bodyLimit
    }

    func channelActive(context: ChannelHandlerContext) {
        context.write(wrapOutboundOut(.head(request)), promise: nil)
        context.writeAndFlush(wrapOutboundOut(.end(nil)), promise: nil)
        context.fireChannelActive()
    }

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        switch unwrapInboundIn(data) {
        case .head(let head):
            status = Int(head.status.code)
        case .body(let buffer):
            let room = Self.maximumBodyBytes - body.count
            body += buffer.readableBytesView.prefix(room)
            if body.count >= Self.maximumBodyBytes { finish(context: context) }
        case .end:
            finish(context: context)
        }
    }

    func channelInactive(context: ChannelHandlerContext) {
        // A body that ends with the connection (no length given) is whole once it closes.
        if status != nil { finish(context: context) } else { answer.fail(ProbeFailure.closedBeforeAnswer) }
        context.fireChannelInactive()
    }

    func errorCaught(context: ChannelHandlerContext, error: any Error) {
        answer.fail(error)
        context.close(promise: nil)
    }

    private func finish(context: ChannelHandlerContext) {
        guard let status else { return }
        let text = String(decoding: body, as: UTF8.self)
        answer.succeed(HTTPProbe.Response(status: status, body: String(text.prefix(bodyLimit))))
        context.close(promise: nil)
    }
}
