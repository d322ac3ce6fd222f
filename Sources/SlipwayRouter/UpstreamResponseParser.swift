import NIOCore

/// Reads an upstream's responses from its bytes as they arrive, in place of NIO's
/// `HTTPResponseDecoder` behind a `ByteToMessageHandler`, which made strings of every header and
/// three parts of every response, each boxed and cast on its way, only for the router to write
/// the head out again. Here a head is checked once as bytes and handed on whole (see
/// ``UpstreamResponseHead``), and a body comes as slices of the reads it came in: a chunked one as
/// it is, chunk sizes and all, for a client that takes chunks, or its data alone for one that
/// does not (HTTP/1.0).
///
/// Informational (1xx) heads are dropped, as NIO's decoder dropped them. Malformed, so the
/// connection is closed and the client answered 502: a 101 (the router sends no `Upgrade`), a
/// head of over ``maximumHeadLength`` bytes, `Content-Length` beside `Transfer-Encoding`,
/// differing lengths, folded or bare-LF lines, control bytes in a head or a chunk's framing.
struct UpstreamResponseParser {
    enum Event {
        case head(UpstreamResponseHead)
        case body(ByteBuffer)
        case end
    }

    /// The limit NIO's decoder, which the router used before, put on a head's headers.
    static let maximumHeadLength = 80 * 1024

    private enum State {
        case head
        case sized(remaining: Int)
        case chunked(ChunkedBody)
        case untilClose
        /// The response is complete; `.end` is reported next.
        case complete
    }

    private var state = State.head
    private var collector = HeadCollector(maximumLength: UpstreamResponseParser.maximumHeadLength)
    private var answersHEAD = false
    private var passesChunks = true

    /// Readies the parser for the answer to the request just sent: a HEAD's has no body, and a
    /// chunked body is passed as it is only with `passingChunks`.
    mutating func expectResponse(toHEAD: Bool, passingChunks: Bool) {
        answersHEAD = toHEAD
        passesChunks = passingChunks
    }

    /// The next part of a response from `buffer`, whose bytes it takes; nil once `buffer` is
    /// used up without completing a part. Call again until nil: bytes after a response's end are
    /// left in `buffer` for the next one.
    mutating func next(_ buffer: inout ByteBuffer) throws(RouterError) -> Event? {
        switch state {
        case .head:
            return try nextHead(&buffer)
        case .sized(let remaining):
            guard buffer.readableBytes > 0 else { return nil }
            let count = min(remaining, buffer.readableBytes)
            state = count == remaining ? .complete : .sized(remaining: remaining - count)
            return buffer.readSlice(length: count).map(Event.body)
        case .chunked(var body):
            let bytes: ByteBuffer?
            do {
                bytes = try body.take(passing: passesChunks, from: &buffer)
            } catch {
                throw .malformedUpstreamResponse(error.reason)
            }
            state = body.isDone ? .complete : .chunked(body)
            if let bytes {
                return .body(bytes)
            }
            return body.isDone ? try next(&buffer) : nil
        case .untilClose:
            guard buffer.readableBytes > 0 else { return nil }
            return buffer.readSlice(length: buffer.readableBytes).map(Event.body)
        case .complete:
            state = .head
            answersHEAD = false
            return .end
        }
    }

    /// The upstream closed the connection. True when that ends the response, whose body runs
    /// until the close; false when it cuts a response short, or comes between responses.
    mutating func finish() -> Bool {
        guard case .untilClose = state else { return false }
        state = .head
        return true
    }

    private mutating func nextHead(_ buffer: inout ByteBuffer) throws(RouterError) -> Event? {
        while let bytes = try takeHead(from: &buffer) {
            guard let head = try UpstreamResponseHead(bytes, answeringHEAD: answersHEAD) else {
                continue  // Informational: the response proper follows.
            }
            switch head.framing {
            case .none, .length(0): state = .complete
            case .length(let length): state = .sized(remaining: length)
            case .chunked: state = .chunked(ChunkedBody())
            case .untilClose: state = .untilClose
            }
            return .head(head)
        }
        return nil
    }

    private mutating func takeHead(from buffer: inout ByteBuffer) throws(RouterError) -> ByteBuffer? {
        do {
            return try collector.take(from: &buffer)
        } catch {
            throw .malformedUpstreamResponse(error.reason)
        }
    }
}
