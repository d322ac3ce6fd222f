#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
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
    /// The start of a head that came in parts, and how much of it was searched for its end.
    private var partialHead: ByteBuffer?
    private var searched = 0
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
            let bytes = try body.take(passing: passesChunks, from: &buffer)
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

    /// A whole head from `buffer`, or nil once it holds no more than the start of one, kept here.
    private mutating func takeHead(from buffer: inout ByteBuffer) throws(RouterError) -> ByteBuffer? {
        guard var partial = partialHead.take() else {
            // Empty lines before a head are passed over (RFC 9112 2.2).
            while let byte = buffer.readableBytesView.first, byte == UInt8(ascii: "\r") || byte == UInt8(ascii: "\n") {
                buffer.moveReaderIndex(forwardBy: 1)
            }
            guard buffer.readableBytes > 0 else { return nil }
            if let length = try Self.headLength(in: buffer, searchedAlready: 0) {
                return buffer.readSlice(length: length)
            }
            partialHead = buffer
            searched = buffer.readableBytes
            buffer.moveReaderIndex(to: buffer.writerIndex)
            return nil
        }
        partial.writeBuffer(&buffer)
        guard let length = try Self.headLength(in: partial, searchedAlready: searched) else {
            searched = partial.readableBytes
            partialHead = partial
            return nil
        }
        searched = 0
        let head = partial.readSlice(length: length)
        // What follows the head is the start of its body.
        buffer = partial
        return head
    }

    /// The length of the head at the start of `buffer`, to the end of its empty line; nil if its
    /// end has not arrived. The first `searchedAlready` bytes held no end.
    private static func headLength(in buffer: ByteBuffer, searchedAlready: Int) throws(RouterError) -> Int? {
        let length = buffer.withUnsafeReadableBytes { bytes -> Int? in
            guard let base = bytes.baseAddress else { return nil }
            var index = max(3, searchedAlready)
            let limit = min(bytes.count, maximumHeadLength)
            // From line feed to line feed with memchr: a head has a dozen, against hundreds of bytes.
            while index < limit, let found = memchr(base + index, Int32(UInt8(ascii: "\n")), limit - index) {
                index = base.distance(to: UnsafeRawPointer(found))
                if bytes[index - 1] == UInt8(ascii: "\r"), bytes[index - 2] == UInt8(ascii: "\n"), bytes[index - 3] == UInt8(ascii: "\r") {
                    return index + 1
                }
                index += 1
            }
            return nil
        }
        if length == nil, buffer.readableBytes >= maximumHeadLength {
            throw .malformedUpstreamResponse("a head of over \(maximumHeadLength) bytes")
        }
        return length
    }
}
