import NIOCore
import NIOHTTP1

/// Proxies the requests of one client connection, one at a time: reads them from the channel's
/// bytes (``ClientRequestParser``), buffers each, lets the route pick a colour and a pooled
/// upstream connection, and streams the response back with `X-Slipway-Color`.
///
/// Responses are written as bytes here rather than through NIO's `HTTPResponseEncoder`: the head
/// in one buffer write, with the hop-by-hop headers left out and the router's own added as it goes,
/// so an upstream's head is neither copied nor edited header by header.
///
/// Pipelined requests are held back here rather than by NIO's `HTTPServerPipelineHandler`, which
/// stops reading the socket while any response is owed and so costs two `epoll_ctl` calls per
/// request. Here reading stops only while parts of a pipelined request are actually waiting.
final class ProxyHandler: ChannelDuplexHandler, UpstreamResponseReceiver {
    typealias InboundIn = ByteBuffer
    typealias OutboundIn = ByteBuffer
    typealias OutboundOut = ByteBuffer

    private struct Request {
        let head: ClientRequestHead
        /// The path an absolute-form target goes upstream as.
        let path: String?
        var body: ByteBuffer?
        let start: NIODeadline
    }

    /// What came of a client's bytes: a part of a request, or a request that cannot be read.
    private enum Arrival {
        case part(ClientRequestParser.Event)
        case malformed(String)
    }

    /// A request handed to an upstream connection, until its response ends.
    private final class Exchange {
        let request: Request
        let connection: UpstreamConnection
        let wasPooled: Bool
        var clientKeepAlive: Bool
        var statusCode: Int?
        var upstreamKeepAlive = false
        var lastActivity = NIODeadline.now()

        init(request: Request, connection: UpstreamConnection, wasPooled: Bool) {
            self.request = request
            self.connection = connection
            self.wasPooled = wasPooled
            self.clientKeepAlive = request.head.isKeepAlive
        }

        var color: SlotColor { connection.color }
    }

    private let route: Route
    private var context: ChannelHandlerContext?
    private var clientAddress: String?
    private var parser = ClientRequestParser()
    private var receiving: Request?
    private var exchange: Exchange?
    /// A request is on its way to an upstream (connecting), so the client is not idle.
    private var connecting = false
    /// Parts of pipelined requests that arrived while a response was owed, in order.
    private var waiting = CircularBuffer<Arrival>()
    /// A response that closes the connection was written: nothing the client sends is read.
    private var isClosing = false
    private var isReplaying = false
    /// A read the channel asked for while parts were waiting; issued once they are handled.
    private var readWithheld = false
    /// The route is closing: serve what was started, then close.
    private var quiescing = false
    /// One timer per connection, armed by the first request and pushed back by later activity,
    /// rather than one scheduled and cancelled for every request.
    private var upstreamTimer: Scheduled<Void>?
    /// When the client last sent something or was handed the end of a response. Tracked here
    /// rather than by NIO's `IdleStateHandler`, which makes a promise and a callback for every write.
    private var lastClientActivity = NIODeadline.now()
    /// When the request head being waited for began: the connection's opening for the first, the
    /// first bytes of it for later ones. Nil between requests and once the head is in.
    private var headStart: NIODeadline?
    /// A request part came out of the bytes of the current read.
    private var readMadePart = false
    /// The client timeouts (header, idle, body), one timer per connection, never rescheduled by a
    /// request; see ``armClientTimer(context:)``.
    private var clientTimer: Scheduled<Void>?
    private let shortestClientTimeout: TimeAmount
    private var flushBatch: UpstreamFlushBatch?
    /// Parts of a response were written to the client since the last flush.
    private var hasUnflushedResponse = false
    /// How the body of the response being written is framed.
    private var responseBody = ResponseBodyFraming.asIs
    /// The head of an upstream's response, held until its first body bytes (if they fit, they go
    /// in the same buffer), its end or the end of the read, whichever comes first.
    private var pendingHead: ByteBuffer?
    /// Bodies up to this size are written in their head's buffer, allocated with room for them.
    private static let largestBodyInHead = 4096

    init(route: Route) {
        self.route = route
        let configuration = route.configuration
        shortestClientTimeout = TimeAmount(
            min(configuration.clientHeaderTimeout, configuration.clientIdleTimeout, configuration.clientBodyTimeout))
    }

    private var configuration: RouterConfiguration { route.configuration }

    func handlerAdded(context: ChannelHandlerContext) {
        self.context = context
        clientAddress = context.channel.remoteAddress?.ipAddress
        flushBatch = route.flushBatches.batch(for: context.eventLoop)
        headStart = lastClientActivity
        armClientTimer(context: context)
    }

    func handlerRemoved(context: ChannelHandlerContext) {
        self.context = nil
        clientTimer?.cancel()
        clientTimer = nil
    }

    // MARK: Client side

    /// A request is being answered (or its upstream connection opened).
    private var isBusy: Bool { exchange != nil || connecting }

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        var buffer = unwrapInboundIn(data)
        do {
            while !isClosing, let event = try parser.next(&buffer) {
                readMadePart = true
                arrive(.part(event), context: context)
                // A request's end leaves the parser between heads: with no bytes left, it has nothing more.
                if case .end = event, buffer.readableBytes == 0 {
                    break
                }
            }
        } catch {
            arrive(.malformed(error.description), context: context)
        }
    }

    private func arrive(_ arrival: Arrival, context: ChannelHandlerContext) {
        if isBusy || !waiting.isEmpty {
            waiting.append(arrival)
        } else {
            handle(arrival, context: context)
        }
    }

    func channelReadComplete(context: ChannelHandlerContext) {
        lastClientActivity = .now()
        if readMadePart {
            // A head came in (parts start with one), so the head waited for is complete.
            readMadePart = false
            headStart = nil
        } else if headStart == nil, isIdle {
            // Bytes the parser holds without a part yet: the start of the next head.
            headStart = lastClientActivity
        }
        context.fireChannelReadComplete()
    }

    func read(context: ChannelHandlerContext) {
        if waiting.isEmpty {
            context.read()
        } else {
            readWithheld = true
        }
    }

    private func handle(_ arrival: Arrival, context: ChannelHandlerContext) {
        switch arrival {
        case .malformed(let reason):
            receiving = nil
            respond(
                status: .badRequest, color: nil, message: reason, version: .http1_1, method: nil, keepAlive: false,
                context: context)
        case .part(.head(let head)):
            let path: String?
            switch head.target {
            case .valid:
                path = nil
            case .sameHost(let origin):
                // Upstreams get the origin form they expect; the Host header already names the host.
                path = origin
            case .invalid(let reason):
                reject(head, status: .badRequest, message: reason, context: context)
                return
            }
            if let length = head.contentLength, length > configuration.maximumRequestBodySize {
                rejectTooLarge(head, context: context)
                return
            }
            if head.expectsContinue {
                // The body is buffered here, so the router, not the upstream, invites it.
                writeOwnHead(HTTPResponseHead(version: head.version, status: .continue), answering: head.method, context: context)
                context.flush()
            }
            receiving = Request(head: head, path: path, body: nil, start: .now())
        case .part(.body(var chunk)):
            // Reads through the optional, never a copy: a copy would make every append copy the body.
            guard let head = receiving?.head else { return }
            if (receiving?.body?.readableBytes ?? 0) + chunk.readableBytes > configuration.maximumRequestBodySize {
                rejectTooLarge(head, context: context)
                return
            }
            if receiving?.body == nil {
                receiving?.body = chunk
            } else {
                receiving?.body?.writeBuffer(&chunk)
            }
        case .part(.end):
            guard let request = receiving else { return }
            receiving = nil
            forward(request, context: context)
        }
    }

    func channelWritabilityChanged(context: ChannelHandlerContext) {
        exchange?.connection.setReading(context.channel.isWritable)
        context.fireChannelWritabilityChanged()
    }

    func channelInactive(context: ChannelHandlerContext) {
        self.context = nil
        receiving = nil
        waiting.removeAll()
        pendingHead = nil
        upstreamTimer?.cancel()
        upstreamTimer = nil
        clientTimer?.cancel()
        clientTimer = nil
        if let exchange {
            self.exchange = nil
            exchange.connection.abandon()
        }
        context.fireChannelInactive()
    }

    /// Nothing owed to the client and nothing of a request received.
    private var isIdle: Bool { !isBusy && receiving == nil && waiting.isEmpty }

    func userInboundEventTriggered(context: ChannelHandlerContext, event: Any) {
        switch event {
        case is ChannelShouldQuiesceEvent:
            // A request being received or answered is finished first; the response then says close.
            quiescing = true
            if isIdle {
                context.close(promise: nil)
            }
        default:
            context.fireUserInboundEventTriggered(event)
        }
    }

    func errorCaught(context: ChannelHandlerContext, error: any Error) {
        // A socket's error: what is being answered is finished first.
        if isBusy {
            quiescing = true
        } else {
            context.close(promise: nil)
        }
    }

    // MARK: Forwarding

    private func forward(_ request: Request, context: ChannelHandlerContext) {
        switch route.lease(on: context.eventLoop) {
        case .unavailable(let color):
            fail(request, color: color, status: .badGateway, connectionFailed: false,
                 message: "no \(color.rawValue) upstream is set", context: context)
        case .pooled(let connection):
            send(request, on: connection, wasPooled: true, context: context)
        case .connect(let color, let target):
            connect(request, color: color, target: target, context: context)
        }
    }

    private func connect(_ request: Request, color: SlotColor, target: Route.Target, context: ChannelHandlerContext) {
        connecting = true
        UpstreamConnection.open(
            to: target.address, color: color, generation: target.generation,
            on: context.eventLoop, connectTimeout: TimeAmount(configuration.connectTimeout)
        )
        .assumeIsolated()
        .whenComplete { result in
            self.connecting = false
            switch result {
            case .success(let connection):
                self.route.register(connection)
                guard let context = self.context else {
                    // The client left while we connected; the connection can serve someone else.
                    self.route.release(connection, reusable: true)
                    return
                }
                self.send(request, on: connection, wasPooled: false, context: context)
            case .failure(let error):
                guard let context = self.context else { return }
                let timedOut = if case ChannelError.connectTimeout = error { true } else { false }
                self.fail(
                    request, color: color, status: timedOut ? .gatewayTimeout : .badGateway, connectionFailed: true,
                    message: "cannot connect to the \(color.rawValue) upstream at \(target.address): \(error)",
                    context: context)
            }
        }
    }

    private func send(_ request: Request, on connection: UpstreamConnection, wasPooled: Bool, context: ChannelHandlerContext) {
        let exchange = Exchange(request: request, connection: connection, wasPooled: wasPooled)
        self.exchange = exchange
        if upstreamTimer == nil {
            upstreamTimer = scheduleTimeout(in: TimeAmount(configuration.upstreamTimeout), context: context)
        }
        connection.setReading(context.channel.isWritable)
        connection.send(
            request.head, path: request.path, body: request.body, from: clientAddress, to: self, flushingWith: flushBatch)
    }

    // MARK: Upstream side

    func upstreamDidReceiveHead(_ head: UpstreamResponseHead) {
        guard let context, let exchange else { return }
        exchange.statusCode = head.statusCode
        exchange.upstreamKeepAlive = head.isKeepAlive
        writeClientHead(from: head, for: exchange, context: context)
        hasUnflushedResponse = true
    }

    func upstreamDidReceiveBody(_ bytes: ByteBuffer) {
        guard let context, exchange != nil else { return }
        writeBody(bytes, context: context)
        hasUnflushedResponse = true
    }

    func upstreamDidReceiveEnd() {
        guard let context, let exchange else { return }
        self.exchange = nil
        // Back to the pool before the client sees the end, so its next request finds it.
        route.release(exchange.connection, reusable: exchange.upstreamKeepAlive)
        route.record(
            exchange.color, statusCode: exchange.statusCode ?? 0, connectionFailed: false,
            since: exchange.request.start)
        finishResponse(keepAlive: exchange.clientKeepAlive, context: context)
    }

    /// Once per read from the upstream rather than per part: the activity that holds off the
    /// upstream timeout, and the flush of a response that is still streaming.
    func upstreamDidFinishReading() {
        exchange?.lastActivity = .now()
        if hasUnflushedResponse, let context {
            hasUnflushedResponse = false
            writePendingHead(context: context)
            context.flush()
        }
    }

    func upstreamDidFail() {
        guard let context, let exchange else { return }
        self.exchange = nil
        if let statusCode = exchange.statusCode {
            // Part of the response is out: all that is left is to cut the client off too.
            route.record(exchange.color, statusCode: statusCode, connectionFailed: true, since: exchange.request.start)
            context.close(promise: nil)
        } else if exchange.wasPooled, exchange.request.head.method.isSafeToRetry {
            // Most likely the upstream closed this idle keep-alive connection just as we reused
            // it; one retry on a fresh connection to the same upstream is safe for this method.
            let target = Route.Target(address: exchange.connection.address, generation: exchange.connection.generation)
            connect(exchange.request, color: exchange.color, target: target, context: context)
        } else {
            fail(
                exchange.request, color: exchange.color, status: .badGateway, connectionFailed: true,
                message: "the \(exchange.color.rawValue) upstream closed the connection without answering",
                context: context)
        }
    }

    private func writeClientHead(from upstream: UpstreamResponseHead, for exchange: Exchange, context: ChannelHandlerContext) {
        let version = exchange.request.head.version
        let method = exchange.request.head.method
        let canChunk = version.major > 1 || (version.major == 1 && version.minor >= 1)
        let mayHaveBody = upstream.statusMayHaveBody
        let hasLength = upstream.contentLength != nil
        // An HTTP/1.0 client learns where a body of unknown length ends only from the close.
        exchange.clientKeepAlive = exchange.clientKeepAlive && (canChunk || hasLength || method.isHEAD) && !quiescing
        // Framed as NIO's encoder framed it: no length for a status without a body, chunked when
        // an HTTP/1.1 body's length is not known (announced to HEAD too, but never sent to it).
        // An upstream's chunks reach such a client as they came; only a body that runs until
        // the upstream's close is chunked here.
        let announcesChunks = mayHaveBody && !hasLength && canChunk
        responseBody =
            if !mayHaveBody || method.isHEAD { .none }
            else if announcesChunks, upstream.framing != .chunked { .chunked }
            else { .asIs }
        let connection: String? =
            if !exchange.clientKeepAlive { "close" } else if !canChunk { "keep-alive" } else { nil }
        // Room for a small body, which then goes out in the head's buffer (see `writeBody`).
        let bodyRoom =
            if case .asIs = responseBody, let length = upstream.contentLength, length <= Self.largestBodyInHead {
                length
            } else {
                0
            }
        pendingHead = context.channel.allocator.httpHead(
            version.text, passing: upstream,
            adding: ("x-slipway-color", exchange.color.rawValue),
            announcesChunks ? ("transfer-encoding", "chunked") : nil,
            connection.map { ("connection", $0) }, extraCapacity: bodyRoom)
    }

    /// Writes the head of an upstream's response, unless it was written already.
    private func writePendingHead(context: ChannelHandlerContext) {
        if let head = pendingHead.take() {
            context.write(wrapOutboundOut(head), promise: nil)
        }
    }

    /// Writes a head of the router's own, which carries its Content-Length if it has a body.
    private func writeOwnHead(_ head: HTTPResponseHead, answering method: HTTPMethod?, context: ChannelHandlerContext) {
        responseBody = !head.status.mayHaveResponseBody || method?.isHEAD == true ? .none : .asIs
        let buffer = context.channel.allocator.httpHead(
            head.version.text, String(head.status.code), head.status.reasonPhrase,
            headers: HeaderSelection(head.headers) { _, _ in false })
        context.write(wrapOutboundOut(buffer), promise: nil)
    }

    private func writeBody(_ body: ByteBuffer, context: ChannelHandlerContext) {
        if case .asIs = responseBody, var head = pendingHead.take() {
            if body.readableBytes <= head.writableBytes {
                // One write of head and body rather than two: a write is a trip through the
                // pipeline and the channel's pending writes.
                var body = body
                head.writeBuffer(&body)
                pendingHead = head
                return
            }
            context.write(wrapOutboundOut(head), promise: nil)
        } else {
            writePendingHead(context: context)
        }
        switch responseBody {
        case .asIs:
            context.write(wrapOutboundOut(body), promise: nil)
        case .chunked where body.readableBytes > 0:
            // An empty chunk would end the body.
            var size = context.channel.allocator.buffer(capacity: 12)
            size.writeString(String(body.readableBytes, radix: 16))
            size.writeStaticString("\r\n")
            context.write(wrapOutboundOut(size), promise: nil)
            context.write(wrapOutboundOut(body), promise: nil)
            context.write(wrapOutboundOut(ByteBuffer(staticString: "\r\n")), promise: nil)
        case .chunked, .none:
            break
        }
    }

    /// What ends the body: the last chunk when the router chunks it, nothing otherwise (an
    /// upstream's own chunks end with theirs).
    private var endOfBody: ByteBuffer {
        if case .chunked = responseBody { ByteBuffer(staticString: "0\r\n\r\n") } else { ByteBuffer() }
    }

    // MARK: Client timeouts

    /// When the client's time runs out for what it is sending, or nil while it owes nothing: a
    /// response is being fetched, or the client is still taking one it could not keep up with.
    /// Idle and body silences count from the last byte either way, so a connection is never cut
    /// just after its response; a head is due whole, however it trickles in.
    private func clientDeadline(context: ChannelHandlerContext) -> NIODeadline? {
        guard !isBusy, waiting.isEmpty, context.channel.isWritable else { return nil }
        if receiving != nil {
            return lastClientActivity + TimeAmount(configuration.clientBodyTimeout)
        }
        if let headStart {
            return headStart + TimeAmount(configuration.clientHeaderTimeout)
        }
        return lastClientActivity + TimeAmount(configuration.clientIdleTimeout)
    }

    /// Fires at the latest one shortest timeout after now. Every deadline set later is at least
    /// that far from its own start, so none is missed, and no request needs to touch the timer.
    private func armClientTimer(context: ChannelHandlerContext) {
        let latest = NIODeadline.now() + shortestClientTimeout
        let fireAt = clientDeadline(context: context).map { min($0, latest) } ?? latest
        clientTimer = context.eventLoop.assumeIsolated().scheduleTask(deadline: fireAt) {
            self.clientTimerFired()
        }
    }

    private func clientTimerFired() {
        clientTimer = nil
        guard let context else { return }
        guard let deadline = clientDeadline(context: context), deadline <= .now() else {
            armClientTimer(context: context)
            return
        }
        if let request = receiving {
            // The head is in, so the client can be told why its request went nowhere.
            reject(
                request.head, status: .requestTimeout,
                message: "the request body stopped arriving for \(configuration.clientBodyTimeout)", context: context)
        } else {
            // Between requests, or a head never finished: nothing to answer, as nginx does.
            context.close(promise: nil)
        }
    }

    private func scheduleTimeout(in delay: TimeAmount, context: ChannelHandlerContext) -> Scheduled<Void> {
        context.eventLoop.assumeIsolated().scheduleTask(in: delay) {
            self.upstreamTimeoutFired()
        }
    }

    /// The timer is pushed back by activity (a new request starts with fresh activity), instead
    /// of being rescheduled for every request and every part of a streamed response.
    private func upstreamTimeoutFired() {
        upstreamTimer = nil
        guard let context, let exchange else { return }
        let limit = TimeAmount(configuration.upstreamTimeout)
        let quiet = NIODeadline.now() - exchange.lastActivity
        if quiet < limit {
            upstreamTimer = scheduleTimeout(in: limit - quiet, context: context)
            return
        }
        self.exchange = nil
        exchange.connection.abandon()
        if let statusCode = exchange.statusCode {
            route.record(exchange.color, statusCode: statusCode, connectionFailed: false, since: exchange.request.start)
            context.close(promise: nil)
        } else {
            fail(
                exchange.request, color: exchange.color, status: .gatewayTimeout, connectionFailed: false,
                message: "the \(exchange.color.rawValue) upstream did not answer within \(configuration.upstreamTimeout)",
                context: context)
        }
    }

    // MARK: Answers of the router's own

    private func fail(
        _ request: Request, color: SlotColor, status: HTTPResponseStatus, connectionFailed: Bool, message: String,
        context: ChannelHandlerContext
    ) {
        route.record(color, statusCode: Int(status.code), connectionFailed: connectionFailed, since: request.start)
        respond(
            status: status, color: color, message: message, version: request.head.version, method: request.head.method,
            keepAlive: request.head.isKeepAlive && !quiescing, context: context)
    }

    private func rejectTooLarge(_ head: ClientRequestHead, context: ChannelHandlerContext) {
        reject(
            head, status: .payloadTooLarge,
            message: "request body is larger than \(configuration.maximumRequestBodySize) bytes", context: context)
    }

    /// Answers a request that goes to no upstream, and closes: the rest of what the client sends
    /// (a body we will not use, say) is not worth reading.
    private func reject(
        _ head: ClientRequestHead, status: HTTPResponseStatus, message: String, context: ChannelHandlerContext
    ) {
        receiving = nil
        respond(
            status: status, color: nil, message: message, version: head.version, method: head.method, keepAlive: false,
            context: context)
    }

    private func respond(
        status: HTTPResponseStatus, color: SlotColor?, message: String, version: HTTPVersion, method: HTTPMethod?,
        keepAlive: Bool, context: ChannelHandlerContext
    ) {
        let body = context.channel.allocator.buffer(string: "slipway router: \(message)\n")
        var head = HTTPResponseHead(version: version, status: status)
        head.headers.add(name: "content-type", value: "text/plain; charset=utf-8")
        head.headers.add(name: "content-length", value: String(body.readableBytes))
        if let color {
            head.headers.add(name: "x-slipway-color", value: color.rawValue)
        }
        head.headers.add(name: "connection", value: keepAlive ? "keep-alive" : "close")
        writeOwnHead(head, answering: method, context: context)
        writeBody(body, context: context)
        finishResponse(keepAlive: keepAlive, context: context)
    }

    private func finishResponse(keepAlive: Bool, context: ChannelHandlerContext) {
        lastClientActivity = .now()
        hasUnflushedResponse = false
        writePendingHead(context: context)
        guard keepAlive, !quiescing else {
            isClosing = true
            waiting.removeAll()
            let channel = context.channel
            context.writeAndFlush(wrapOutboundOut(endOfBody)).whenComplete { _ in
                channel.close(promise: nil)
            }
            return
        }
        let end = endOfBody
        if end.readableBytes > 0 {
            context.write(wrapOutboundOut(end), promise: nil)
        }
        context.flush()
        replayWaitingParts(context: context)
    }

    /// Handles the parts of pipelined requests that waited for the response just finished, until
    /// one of them needs an upstream again, then reads on if nothing is left waiting.
    private func replayWaitingParts(context: ChannelHandlerContext) {
        // A request answered at once (502) finishes inside `handle`; the outer loop goes on.
        guard !isReplaying else { return }
        isReplaying = true
        while !isBusy, let arrival = waiting.popFirst() {
            handle(arrival, context: context)
        }
        isReplaying = false
        // `readWithheld` first: it is rarely set, and a look at `waiting` is an exclusivity check.
        if readWithheld, waiting.isEmpty {
            readWithheld = false
            context.read()
        }
    }
}

extension HTTPVersion {
    /// As the start line says it; the usual two without building a string.
    fileprivate var text: String {
        switch (major, minor) {
        case (1, 1): "HTTP/1.1"
        case (1, 0): "HTTP/1.0"
        default: "HTTP/\(major).\(minor)"
        }
    }
}

extension HTTPMethod {
    /// Idempotent methods (RFC 9110 9.2.2): sending one twice does no more than sending it once.
    fileprivate var isSafeToRetry: Bool {
        switch self {
        case .GET, .HEAD, .OPTIONS, .TRACE, .PUT, .DELETE: true
        default: false
        }
    }
}
