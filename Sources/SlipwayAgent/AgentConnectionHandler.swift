import Foundation
import NIOCore
import SlipwayCore

/// Answers the request on one connection to the agent's socket, then closes it. What
/// `answerAtOnce` answers is written from the event loop itself, so a ping never waits for a
/// thread of the agent's work; the rest is answered in a task of its own, so the event loop
/// never waits for that work.
final class AgentConnectionHandler: ChannelInboundHandler, Sendable {
    typealias InboundIn = ByteBuffer
    typealias OutboundOut = ByteBuffer

    let answerAtOnce: @Sendable (AgentRequest) -> AgentResponse?
    let answer: @Sendable (AgentRequest) async -> AgentResponse
    let answered: @Sendable (AgentResponse) -> Void

    init(
        answerAtOnce: @escaping @Sendable (AgentRequest) -> AgentResponse?,
        answer: @escaping @Sendable (AgentRequest) async -> AgentResponse, answered: @escaping @Sendable (AgentResponse) -> Void
    ) {
        self.answerAtOnce = answerAtOnce
        self.answer = answer
        self.answered = answered
    }

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        let line = unwrapInboundIn(data)
        let request = Result { try JSONDecoder().decode(AgentRequest.self, from: Data(line.readableBytesView)) }
        if case .success(let request) = request, let response = answerAtOnce(request) {
            write(Self.line(response), response: response, context: context)
            return
        }
        let loop = context.eventLoop
        let bound = NIOLoopBound(context, eventLoop: loop)
        let answer = self.answer
        Task {
            let response: AgentResponse
            switch request {
            case .success(let request):
                response = await answer(request)
            case .failure(let error):
                response = .refused(reason: "not a request of this agent: \(error)")
            }
            let text = Self.line(response)
            loop.execute { self.write(text, response: response, context: bound.value) }
        }
    }

    func errorCaught(context: ChannelHandlerContext, error: any Error) {
        // A line over the limit or a peer gone: nothing to answer.
        context.close(promise: nil)
    }

    private static func line(_ response: AgentResponse) -> String {
        let encoded = (try? JSONEncoder().encode(response)).map { String(decoding: $0, as: UTF8.self) }
        return (encoded ?? #"{"refused":{"reason":"the agent cannot encode its answer"}}"#) + "\n"
    }

    private func write(_ text: String, response: AgentResponse, context: ChannelHandlerContext) {
        let channel = context.channel
        let answered = self.answered
        context.writeAndFlush(wrapOutboundOut(channel.allocator.buffer(string: text))).whenComplete { _ in
            channel.close(promise: nil)
            answered(response)
        }
    }
}
