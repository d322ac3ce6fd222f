import NIOCore
import NIOHTTP1

extension ChannelPipeline.SynchronousOperations {
    /// The handlers that serve a client connection of `route`. The router and the fuzz harness both
    /// build the pipeline here, so what is fuzzed is what serves: each handler writes what the one
    /// in front of it takes.
    ///
    /// - Parameter overLimit: the route has all the connections it takes, so the client gets 503.
    func addRouterClientHandlers(route: Route, overLimit: Bool) throws {
        if overLimit {
            // One 503 and a close: NIO's server pipeline, HTTP parts in and out, its 400 for
            // malformed requests.
            try configureHTTPServerPipeline(withPipeliningAssistance: false, withOutboundHeaderValidation: false)
            try addHandler(ConnectionLimitResponder(route: route.name, configuration: route.configuration))
        } else {
            // `ProxyHandler` reads requests from the bytes and writes responses as bytes itself,
            // holds back pipelined requests and answers malformed ones: it is all it needs.
            try addHandler(ProxyHandler(route: route))
        }
    }
}
