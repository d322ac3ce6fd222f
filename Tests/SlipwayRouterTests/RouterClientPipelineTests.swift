import NIOCore
import NIOEmbedded
import Testing

@testable import SlipwayRouter

/// The client pipeline as `TrafficRouter` builds it, on a channel of its own: every answer the
/// router gives without an upstream goes out as bytes through the handlers in front of the one
/// that wrote it. A handler that writes what the next one does not take traps here.
@Suite("Router client pipeline")
struct RouterClientPipelineTests {
    struct Exchange: CustomTestStringConvertible, Sendable {
        let request: String
        let overLimit: Bool
        /// Start lines of the responses, in order.
        let statusLines: [String]
        /// Which of the responses have no body, whatever their head says (an answer to HEAD, a 100).
        let bodiless: [Bool]
        var testDescription: String { "\(statusLines.joined(separator: ", ")) (\(request.prefix(24).debugDescription))" }
    }

    static let exchanges = [
        Exchange(
            request: "GET / HTTP/1.1\r\nHost: t\r\n\r\n", overLimit: false,
            statusLines: ["HTTP/1.1 502 Bad Gateway"], bodiless: [false]),
        Exchange(
            request: "HEAD / HTTP/1.1\r\nHost: t\r\n\r\n", overLimit: false,
            statusLines: ["HTTP/1.1 502 Bad Gateway"], bodiless: [true]),
        Exchange(
            request: "POST / HTTP/1.1\r\nHost: t\r\nContent-Length: 5000\r\n\r\n", overLimit: false,
            statusLines: ["HTTP/1.1 413 Payload Too Large"], bodiless: [false]),
        Exchange(
            request: "POST / HTTP/1.1\r\nHost: t\r\nExpect: 100-continue\r\nContent-Length: 2\r\n\r\nhi", overLimit: false,
            statusLines: ["HTTP/1.1 100 Continue", "HTTP/1.1 502 Bad Gateway"], bodiless: [true, false]),
        Exchange(
            request: "GET / HTTP/1.1\r\nHost: t\r\n\r\nGET /again HTTP/1.0\r\n\r\n", overLimit: false,
            statusLines: ["HTTP/1.1 502 Bad Gateway", "HTTP/1.0 502 Bad Gateway"], bodiless: [false, false]),
        Exchange(
            request: "NOT HTTP AT ALL\r\n\r\n", overLimit: false,
            statusLines: ["HTTP/1.1 400 Bad Request"], bodiless: [false]),
        Exchange(
            request: "GET / HTTP/1.1\r\nHost: t\r\n\r\n", overLimit: true,
            statusLines: ["HTTP/1.1 503 Service Unavailable"], bodiless: [false]),
    ]

    @Test("the router's own answers go out whole through its client pipeline", arguments: exchanges)
    func answersWithoutAnUpstream(_ exchange: Exchange) throws {
        let channel = EmbeddedChannel()
        let loop = channel.embeddedEventLoop
        let route = Route(
            name: "web", host: "127.0.0.1", configuration: RouterConfiguration(maximumRequestBodySize: 4096),
            flushBatches: UpstreamFlushBatches(group: loop), timerLoop: loop)
        try channel.pipeline.syncOperations.addRouterClientHandlers(route: route, overLimit: exchange.overLimit)
        try channel.connect(to: SocketAddress(ipAddress: "127.0.0.1", port: 40000)).wait()

        // On the over-limit pipeline (NIO's decoder) a request it rejects comes back as its error, once answered.
        _ = try? channel.writeInbound(ByteBuffer(string: exchange.request))
        loop.run()
        var output = ByteBuffer()
        while var chunk = try channel.readOutbound(as: ByteBuffer.self) {
            output.writeBuffer(&chunk)
        }
        _ = try? channel.finish()

        // Exactly these responses, nothing before, between or after them.
        let responses = try RawResponses(String(buffer: output), bodiless: exchange.bodiless)
        #expect(responses.heads.map(\.statusLine) == exchange.statusLines)
    }
}
