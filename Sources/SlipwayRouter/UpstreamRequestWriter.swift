import NIOCore
import NIOHTTP1

/// Writes a client's request to an upstream as one buffer, the head rewritten for the upstream as
/// it is written (hop-by-hop headers and `Expect` left out, `Content-Length` and `X-Forwarded-*`
/// set) and the buffered body after it, in place of NIO's `HTTPRequestEncoder`. That one writes
/// every header piece by piece and the head, body and end separately, and rewriting the head
/// before it meant copying and editing the client's `HTTPHeaders`. Nothing is ever chunked: a body
/// always goes with its length.
///
/// It sits next to the channel's head, and no write passes through it: ``UpstreamConnection`` calls
/// ``write(_:body:from:)``, which writes from its own place. Sent down the pipeline as a part
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

    /// Writes a whole request, a client's as it came, from `clientAddress` (for `X-Forwarded-For`).
    func write(_ head: HTTPRequestHead, body: ByteBuffer?, from clientAddress: String?) {
        guard let context else { return }
        let buffer = encode(head, body: body, from: clientAddress, allocator: context.channel.allocator)
        context.write(NIOAny(buffer), promise: nil)
    }

    func flush() {
        context?.flush()
    }

    private func encode(
        _ head: HTTPRequestHead, body: ByteBuffer?, from clientAddress: String?, allocator: ByteBufferAllocator
    ) -> ByteBuffer {
        var host: String?
        var forwardedFor = ""
        var hasForwardedProto = false
        var hasForwardedHost = false
        var hasLength = false
        var namesOthers = false
        // One pass tells what is left out and notes what the added headers depend on.
        var selection = HeaderSelection(head.headers) { name, value in
            switch name.utf8.count {
            case 4 where host == nil && name.equalsIgnoringASCIICase("host"):
                host = value
            case 6 where name.equalsIgnoringASCIICase("expect"):
                return true
            case 10 where HopByHopHeaders.namesOthers(name: name, value: value):
                namesOthers = true
            case 14 where name.equalsIgnoringASCIICase("content-length"):
                hasLength = true
                return body != nil
            case 15 where name.equalsIgnoringASCIICase("x-forwarded-for"):
                forwardedFor = forwardedFor.isEmpty ? value : "\(forwardedFor), \(value)"
                return clientAddress != nil
            case 16 where name.equalsIgnoringASCIICase("x-forwarded-host"):
                hasForwardedHost = true
            case 17 where name.equalsIgnoringASCIICase("x-forwarded-proto"):
                hasForwardedProto = true
            default:
                break
            }
            return HopByHopHeaders.isStandard(name)
        }
        if namesOthers {
            let hopByHop = HopByHopHeaders(of: head.headers)
            selection = HeaderSelection(head.headers) { name, _ in
                hopByHop.contains(name)
                    || (name.utf8.count == 6 && name.equalsIgnoringASCIICase("expect"))
                    || (body != nil && name.utf8.count == 14 && name.equalsIgnoringASCIICase("content-length"))
                    || (clientAddress != nil && name.utf8.count == 15 && name.equalsIgnoringASCIICase("x-forwarded-for"))
            }
        }
        // A method that defines a body is told there is none, rather than left to guess.
        let definesBody = head.method == .POST || head.method == .PUT || head.method == .PATCH
        let length: String? =
            if let body { String(body.readableBytes) } else if definesBody, !hasLength { "0" } else { nil }
        var buffer = allocator.httpHead(
            head.method.rawValue, head.uri, "HTTP/1.1", headers: selection,
            adding: length.map { ("content-length", $0) },
            clientAddress.map { ("x-forwarded-for", forwardedFor.isEmpty ? $0 : "\(forwardedFor), \($0)") },
            hasForwardedProto ? nil : ("x-forwarded-proto", "http"),
            hasForwardedHost ? nil : host.map { ("x-forwarded-host", $0) },
            extraCapacity: body?.readableBytes ?? 0)
        if var body {
            buffer.writeBuffer(&body)
        }
        return buffer
    }
}
