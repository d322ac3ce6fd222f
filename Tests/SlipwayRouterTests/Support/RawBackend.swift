import NIOCore
import NIOPosix

/// An upstream that answers every request it reads with the same bytes, as they are, then closes
/// if told to: responses that a real server library would not write (malformed, with trailers,
/// ended by the close).
final class RawBackend: Sendable {
    let port: Int
    private let listener: any Channel

    private init(port: Int, listener: any Channel) {
        self.port = port
        self.listener = listener
    }

    static func start(answering answer: String, thenClosing closes: Bool) async throws -> RawBackend {
        let listener = try await ServerBootstrap(group: MultiThreadedEventLoopGroup.singleton)
            .serverChannelOption(.socketOption(.so_reuseaddr), value: 1)
            .childChannelInitializer { channel in
                channel.eventLoop.makeCompletedFuture {
                    try channel.pipeline.syncOperations.addHandler(Answerer(answer: answer, closes: closes))
                }
            }
            .bind(host: "127.0.0.1", port: 0)
            .get()
        return RawBackend(port: listener.localAddress!.port!, listener: listener)
    }

    func stop() async {
        try? await listener.close().get()
    }

    /// Answers once the request's head is in; the router's requests here have no body.
    private final class Answerer: ChannelInboundHandler {
        typealias InboundIn = ByteBuffer
        typealias OutboundOut = ByteBuffer

        let answer: String
        let closes: Bool
        private var received = ""

        init(answer: String, closes: Bool) {
            self.answer = answer
            self.closes = closes
        }

        func channelRead(context: ChannelHandlerContext, data: NIOAny) {
            received += String(buffer: unwrapInboundIn(data))
            guard received.contains("\r\n\r\n") else { return }
            received = ""
            let written = context.writeAndFlush(wrapOutboundOut(ByteBuffer(string: answer)))
            if closes {
                let channel = context.channel
                written.whenComplete { _ in channel.close(promise: nil) }
            }
        }
    }
}
