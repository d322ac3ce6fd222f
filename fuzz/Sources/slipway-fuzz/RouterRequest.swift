import Foundation
import NIOCore
import NIOEmbedded
@testable import SlipwayRouter

/// The router's request handling as a client connection sees it: the bytes go through the
/// pipeline `TrafficRouter` builds, set up by the same call, on a route with no upstream set, so
/// every complete request is answered by the router itself. What comes back must be HTTP
/// responses, or nothing.
enum RouterRequest {
    static func handle(_ data: Data) {
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
}
