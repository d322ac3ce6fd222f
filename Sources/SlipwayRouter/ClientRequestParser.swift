import NIOCore

/// Reads a client's requests from its bytes as they arrive, in place of NIO's
/// `HTTPRequestDecoder` behind a `ByteToMessageHandler`, which made strings of every header and
/// three parts of every request, each boxed and cast on its way, only for the router to walk
/// those strings again to write the upstream's request. Here a head is checked once as bytes and
/// handed on whole (see ``ClientRequestHead``), and a body comes as slices of the reads it came
/// in: by its `Content-Length`, or the data of its chunks (the router sends bodies on with a
/// length, so chunk sizes, extensions and trailers stop here).
///
/// Refused as malformed (the client gets 400): what RFC 9112 6.3 says a server must refuse
/// (`Content-Length` beside `Transfer-Encoding`, differing lengths, chunked not last), folded or
/// bare-LF lines, control bytes, a head over ``maximumHeadLength`` bytes, chunk framing (sizes,
/// extensions, trailers) over that many bytes in one body. The body's own size is the caller's
/// to limit: it knows the head, and answers 413.
struct ClientRequestParser {
    enum Event {
        case head(ClientRequestHead)
        case body(ByteBuffer)
        case end
    }

    /// The limit NIO's decoder, which the router used before, put on a head.
    static let maximumHeadLength = 80 * 1024

    private enum State {
        case head
        case sized(remaining: Int)
        /// `framing` counts the bytes of the body that are not data.
        case chunked(ChunkedBody, framing: Int)
        /// The request is complete; `.end` is reported next.
        case complete
        /// A request was malformed: nothing after it is read.
        case failed
    }

    private var state = State.head
    private var collector = HeadCollector(maximumLength: ClientRequestParser.maximumHeadLength)

    /// Bytes of the next head have arrived, and not all of it.
    var holdsPartialHead: Bool { collector.holdsPart }

    /// The next part of a request from `buffer`, whose bytes it takes; nil once `buffer` is used up
    /// without completing a part. Call again until nil. After a refusal every call returns nil.
    mutating func next(_ buffer: inout ByteBuffer) throws(RouterError) -> Event? {
        do {
            return try nextPart(&buffer)
        } catch {
            state = .failed
            buffer.moveReaderIndex(to: buffer.writerIndex)
            throw error
        }
    }

    private mutating func nextPart(_ buffer: inout ByteBuffer) throws(RouterError) -> Event? {
        switch state {
        case .head:
            guard let bytes = try takeHead(from: &buffer) else { return nil }
            let head = try ClientRequestHead(bytes)
            if head.isChunked {
                state = .chunked(ChunkedBody(), framing: 0)
            } else if let length = head.contentLength, length > 0 {
                state = .sized(remaining: length)
            } else {
                state = .complete
            }
            return .head(head)
        case .sized(let remaining):
            guard buffer.readableBytes > 0 else { return nil }
            let count = min(remaining, buffer.readableBytes)
            state = count == remaining ? .complete : .sized(remaining: remaining - count)
            return buffer.readSlice(length: count).map(Event.body)
        case .chunked(var body, let framing):
            let before = buffer.readableBytes
            let data: ByteBuffer?
            do {
                data = try body.take(passing: false, from: &buffer)
            } catch {
                throw .malformedRequest(error.reason)
            }
            let framingNow = framing + before - buffer.readableBytes - (data?.readableBytes ?? 0)
            guard framingNow <= Self.maximumHeadLength else {
                throw .malformedRequest("chunk sizes, extensions and trailers of over \(Self.maximumHeadLength) bytes")
            }
            state = body.isDone ? .complete : .chunked(body, framing: framingNow)
            if let data {
                return .body(data)
            }
            return body.isDone ? try nextPart(&buffer) : nil
        case .complete:
            state = .head
            return .end
        case .failed:
            buffer.moveReaderIndex(to: buffer.writerIndex)
            return nil
        }
    }

    private mutating func takeHead(from buffer: inout ByteBuffer) throws(RouterError) -> ByteBuffer? {
        do {
            return try collector.take(from: &buffer)
        } catch {
            throw .malformedRequest(error.reason)
        }
    }
}
