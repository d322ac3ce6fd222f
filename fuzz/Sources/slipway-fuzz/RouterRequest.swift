import Foundation
import NIOCore
import NIOEmbedded
@testable import SlipwayRouter

/// The router's request handling as a client connection sees it: the bytes go through the
/// pipeline `TrafficRouter` builds, set up by the same call, on a route with no upstream set, so
/// every complete request is answered by the router itself. What comes back must be HTTP
/// responses, or nothing. The same bytes go to the router's request parser alone too, whole and
/// split, which must read them the same, refuse them only with `malformedRequest`, and write every
/// request for an upstream so that it reads back with the same method, target and body.
enum RouterRequest {
    static func handle(_ data: Data) {
        checkParser(data)
        let channel = EmbeddedChannel()
        let loop = channel.embeddedEventLoop
        let route = Route(
            name: "fuzz", host: "127.0.0.1", configuration: RouterConfiguration(maximumRequestBodySize: 4096),
            flushBatches: UpstreamFlushBatches(group: loop), timerLoop: loop)
        // The first byte's top bit picks the pipeline of a client over the route's cap; the rest of
        // it says where the other bytes are split in two reads, so that a head cut across reads is
        // met too.
        let first = data.first ?? 0
        do {
            try channel.pipeline.syncOperations.addRouterClientHandlers(route: route, overLimit: first & 0x80 != 0)
            try channel.connect(to: SocketAddress(ipAddress: "127.0.0.1", port: 40000)).wait()
        } catch {
            preconditionFailure("cannot set up the router's pipeline: \(error)")
        }
        let bytes = data.dropFirst()
        let split = Int(first & 0x7F) % (bytes.count + 1)
        for part in [bytes.prefix(split), bytes.dropFirst(split)] where !part.isEmpty {
            do {
                try channel.writeInbound(ByteBuffer(bytes: part))
            } catch {
                break
            }
        }
        loop.run()
        var output = ByteBuffer()
        while var chunk = try? channel.readOutbound(as: ByteBuffer.self) {
            output.writeBuffer(&chunk)
        }
        let text = String(buffer: output)
        precondition(text.isEmpty || text.hasPrefix("HTTP/1."), "the router wrote something else than a response: \(text.prefix(200))")
        _ = try? channel.finish()
    }

    private static func checkParser(_ data: Data) {
        let bytes = data.dropFirst()
        let split = Int((data.first ?? 0) & 0x7F) % (bytes.count + 1)
        let whole = requests([bytes])
        let parts = requests([bytes.prefix(split), bytes.dropFirst(split)])
        precondition(whole == parts, "split after \(split) reads otherwise: \(parts) against \(whole)")
    }

    /// Each whole request as written for an upstream, up to the first refusal (nil last).
    private static func requests(_ reads: [Data.SubSequence]) -> [String?] {
        var parser = ClientRequestParser()
        var written: [String?] = []
        var head: ClientRequestHead?
        var body: ByteBuffer?
        do {
            for read in reads {
                var buffer = ByteBuffer(bytes: read)
                while let event = try parser.next(&buffer) {
                    switch event {
                    case .head(let started):
                        head = started
                        body = nil
                    case .body(var bytes):
                        precondition(bytes.readableBytes > 0, "an empty body part")
                        if body == nil {
                            body = bytes
                        } else {
                            body?.writeBuffer(&bytes)
                        }
                    case .end:
                        guard let request = head else { preconditionFailure("an end without a head") }
                        written.append(upstream(request, body: body))
                        head = nil
                    }
                }
            }
        } catch .malformedRequest {
            written.append(nil)
        } catch {
            preconditionFailure("refused with another error: \(error)")
        }
        return written
    }

    /// The request as an upstream gets it, checked to read back with the same method, target and body.
    private static func upstream(_ head: ClientRequestHead, body: ByteBuffer?) -> String {
        var buffer = UpstreamRequestWriter.encode(
            head, path: nil, body: body, from: "192.0.2.1", allocator: ByteBufferAllocator())
        let text = String(buffer: buffer)
        var again = ClientRequestParser()
        guard case .head(let reread) = try? again.next(&buffer) else {
            preconditionFailure("a request written for an upstream does not read back: \(text.debugDescription)")
        }
        precondition(reread.method == head.method && reread.uri == head.uri, "the request line changed: \(text.debugDescription)")
        precondition(reread.contentLength == (body?.readableBytes ?? reread.contentLength), "the length changed: \(text.debugDescription)")
        precondition(buffer.readableBytes == (body?.readableBytes ?? 0), "bytes after the body: \(text.debugDescription)")
        return text
    }
}
