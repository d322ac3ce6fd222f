import Foundation
import NIOCore
import NIOEmbedded
import NIOHTTP1
@testable import SlipwayRouter

/// The router's request handling as a client connection sees it: the bytes go through the same
/// pipeline `TrafficRouter` builds (NIO's HTTP parser, then `ProxyHandler`) on a route with no
/// upstream set, so every complete request is answered by the router itself. What comes back
/// must be HTTP responses, or nothing.
enum RouterRequest {
    static func handle(_ data: Data) {
        let channel = EmbeddedChannel()
        let loop = channel.embeddedEventLoop
        let route = Route(
            name: "fuzz", host: "127.0.0.1", configuration: RouterConfiguration(maximumRequestBodySize: 4096),
            flushBatches: UpstreamFlushBatches(group: loop), timerLoop: loop)
        do {
            try channel.pipeline.syncOperations.configureHTTPServerPipeline(
                withPipeliningAssistance: false, withErrorHandling: true, withOutboundHeaderValidation: false)
            try channel.pipeline.syncOperations.addHandler(ProxyHandler(route: route))
            try channel.connect(to: SocketAddress(ipAddress: "127.0.0.1", port: 40000)).wait()
        } catch {
            preconditionFailure("cannot set up the router's pipeline: \(error)")
        }
        // The first byte says where the rest is split in two reads, so that a head cut across
        // reads is met too.
        let bytes = data.dropFirst()
        let split = data.first.map { Int($0) % (bytes.count + 1) } ?? 0
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
