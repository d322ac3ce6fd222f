import NIOCore

/// Writes a client's request to an upstream as one buffer, in place of NIO's `HTTPRequestEncoder`:
/// the client's head as it came, its request line set to HTTP/1.1 and the lines
/// ``ClientRequestHead`` marks as cut left out (hop-by-hop ones, `Expect`, `Content-Length`,
/// `X-Forwarded-For`), runs of kept lines copied whole; then the router's `Content-Length` and
/// `X-Forwarded-*`, and the buffered body. Nothing is ever chunked: a body always goes with its
/// length.
///
/// It sits next to the channel's head, and no write passes through it: ``UpstreamConnection`` calls
/// ``write(_:path:body:from:)``, which writes from its own place. Sent down the pipeline as a part
/// instead, a request went through the response handler and this one, boxed and cast at each.
final class UpstreamRequestWriter: ChannelOutboundHandler {
    typealias OutboundIn = ByteBuffer

    private var context: ChannelHandlerContext?

    func handlerAdded(context: ChannelHandlerContext) {
        self.context = context
    }

    func handlerRemoved(context: ChannelHandlerContext) {
        self.context = nil
    }

    /// Writes a whole request, a client's as it came, from `clientAddress` (for `X-Forwarded-For`);
    /// `path` stands in for an absolute-form target.
    func write(_ head: ClientRequestHead, path: String?, body: ByteBuffer?, from clientAddress: String?) {
        guard let context else { return }
        let buffer = Self.encode(head, path: path, body: body, from: clientAddress, allocator: context.channel.allocator)
        context.write(NIOAny(buffer), promise: nil)
    }

    func flush() {
        context?.flush()
    }

    static func encode(
        _ head: ClientRequestHead, path: String?, body: ByteBuffer?, from clientAddress: String?,
        allocator: ByteBufferAllocator
    ) -> ByteBuffer {
        // A method that defines a body is told there is none, rather than left to guess.
        let length: Int? =
            if let body { body.readableBytes } else if head.contentLength != nil || head.method.definesBody { 0 } else { nil }
        let lengthText = length.map { String($0) }
        let forwardedFor = head.forwardedFor.reduce(0) { $0 + $1.count + 2 } + (clientAddress?.utf8.count ?? 0)
        var capacity = head.methodBytes.count + 1 + (path?.utf8.count ?? head.targetBytes.count) + 11 + head.kept.byteCount
        capacity += lengthText.map { 16 + $0.utf8.count + 2 } ?? 0
        capacity += forwardedFor > 0 ? 17 + forwardedFor + 2 : 0
        capacity += head.hasForwardedProto ? 0 : 25
        capacity += head.hasForwardedHost ? 0 : (head.host.map { 18 + $0.count + 2 } ?? 0)
        capacity += 2
        var buffer = allocator.buffer(capacity: capacity + (body?.readableBytes ?? 0))
        buffer.writeWithUnsafeMutableBytes(minimumWritableBytes: capacity) { destination in
            head.bytes.withUnsafeReadableBytes { source in
                var offset = 0
                destination.copy(source[head.methodBytes], at: &offset)
                destination.put(" ", at: &offset)
                if let path {
                    destination.put(string: path, at: &offset)
                } else {
                    destination.copy(source[head.targetBytes], at: &offset)
                }
                destination.put(" HTTP/1.1\r\n", at: &offset)
                head.kept.copy(from: source, linesStart: head.linesStart, to: destination, at: &offset)
                if let lengthText {
                    destination.put("content-length: ", at: &offset)
                    destination.put(string: lengthText, at: &offset)
                    destination.put("\r\n", at: &offset)
                }
                if forwardedFor > 0 {
                    destination.put("x-forwarded-for: ", at: &offset)
                    var separator = false
                    for value in head.forwardedFor {
                        if separator { destination.put(", ", at: &offset) }
                        destination.copy(source[value], at: &offset)
                        separator = true
                    }
                    if let clientAddress {
                        if separator { destination.put(", ", at: &offset) }
                        destination.put(string: clientAddress, at: &offset)
                    }
                    destination.put("\r\n", at: &offset)
                }
                if !head.hasForwardedProto {
                    destination.put("x-forwarded-proto: http\r\n", at: &offset)
                }
                if !head.hasForwardedHost, let host = head.host {
                    destination.put("x-forwarded-host: ", at: &offset)
                    destination.copy(source[host], at: &offset)
                    destination.put("\r\n", at: &offset)
                }
                destination.put("\r\n", at: &offset)
                return offset
            }
        }
        if var body {
            buffer.writeBuffer(&body)
        }
        return buffer
    }
}

extension UnsafeMutableRawBufferPointer {
    fileprivate func put(_ text: StaticString, at offset: inout Int) {
        text.withUTF8Buffer { copy(UnsafeRawBufferPointer($0)[...], at: &offset) }
    }

    fileprivate func put(string text: String, at offset: inout Int) {
        var text = text
        text.withUTF8 { copy(UnsafeRawBufferPointer($0)[...], at: &offset) }
    }
}
