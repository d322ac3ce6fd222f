/// Limits and timeouts shared by every route of a ``TrafficRouter``.
public struct RouterConfiguration: Sendable, Equatable {
    /// How long an upstream may take to start its response, or stay silent in the middle of one,
    /// before the client gets 504 (or, once the response has started, a closed connection).
    public var upstreamTimeout: Duration
    /// How long opening a connection to an upstream may take; loopback refusals fail at once anyway.
    public var connectTimeout: Duration
    /// How long requests in flight on a colour that lost its traffic may take to finish before
    /// their connections are closed.
    public var drainTimeout: Duration
    /// How long a client connection may stay silent while no response is owed to it (between
    /// requests, or in the middle of sending one) before it is closed.
    public var clientIdleTimeout: Duration
    /// Request bodies are buffered (so a stale pooled connection can be retried); larger ones get 413.
    public var maximumRequestBodySize: Int
    /// Idle keep-alive connections kept per route and colour; more are closed when they come back.
    public var maximumIdleConnectionsPerColor: Int
    /// Whether each request's status and latency are counted; off only to measure what counting costs.
    public var recordsMetrics: Bool

    public init(
        upstreamTimeout: Duration = .seconds(60),
        connectTimeout: Duration = .seconds(5),
        drainTimeout: Duration = .seconds(30),
        clientIdleTimeout: Duration = .seconds(75),
        maximumRequestBodySize: Int = 16 * 1024 * 1024,
        maximumIdleConnectionsPerColor: Int = 64,
        recordsMetrics: Bool = true
    ) {
        self.upstreamTimeout = upstreamTimeout
        self.connectTimeout = connectTimeout
        self.drainTimeout = drainTimeout
        self.clientIdleTimeout = clientIdleTimeout
        self.maximumRequestBodySize = maximumRequestBodySize
        self.maximumIdleConnectionsPerColor = maximumIdleConnectionsPerColor
        self.recordsMetrics = recordsMetrics
    }
}
