/// Limits and timeouts shared by every route of a ``TrafficRouter``; a route may set its own
/// client limits (``RouteLimits``).
public struct RouterConfiguration: Sendable, Equatable {
    /// How long an upstream may take to start its response, or stay silent in the middle of one,
    /// before the client gets 504 (or, once the response has started, a closed connection).
    public var upstreamTimeout: Duration
    /// How long opening a connection to an upstream may take; loopback refusals fail at once anyway.
    public var connectTimeout: Duration
    /// How long requests in flight on a colour that lost its traffic may take to finish before
    /// their connections are closed.
    public var drainTimeout: Duration
    /// How long a client may take to send a whole request head (nginx's `client_header_timeout`),
    /// counted from its first byte, or from the connection's opening for its first request;
    /// then the connection is closed. A client trickling a head byte by byte gains nothing.
    public var clientHeaderTimeout: Duration
    /// How long a kept-alive client connection may stay silent between requests before it is
    /// closed (nginx's `keepalive_timeout`).
    public var clientIdleTimeout: Duration
    /// How long a client may stay silent in the middle of sending a request body before it gets
    /// 408 and the connection is closed (nginx's `client_body_timeout`).
    public var clientBodyTimeout: Duration
    /// Client connections open at once on one route; one more is answered 503 and closed.
    public var maximumClientConnections: Int
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
        clientHeaderTimeout: Duration = .seconds(60),
        clientIdleTimeout: Duration = .seconds(75),
        clientBodyTimeout: Duration = .seconds(60),
        maximumClientConnections: Int = 1024,
        maximumRequestBodySize: Int = 16 * 1024 * 1024,
        maximumIdleConnectionsPerColor: Int = 64,
        recordsMetrics: Bool = true
    ) {
        self.upstreamTimeout = upstreamTimeout
        self.connectTimeout = connectTimeout
        self.drainTimeout = drainTimeout
        self.clientHeaderTimeout = clientHeaderTimeout
        self.clientIdleTimeout = clientIdleTimeout
        self.clientBodyTimeout = clientBodyTimeout
        self.maximumClientConnections = maximumClientConnections
        self.maximumRequestBodySize = maximumRequestBodySize
        self.maximumIdleConnectionsPerColor = maximumIdleConnectionsPerColor
        self.recordsMetrics = recordsMetrics
    }

    /// This configuration with a route's own limits in place of the router's.
    public func applying(_ limits: RouteLimits) -> RouterConfiguration {
        var configuration = self
        configuration.clientHeaderTimeout = limits.clientHeaderTimeout ?? clientHeaderTimeout
        configuration.clientIdleTimeout = limits.clientIdleTimeout ?? clientIdleTimeout
        configuration.clientBodyTimeout = limits.clientBodyTimeout ?? clientBodyTimeout
        configuration.maximumClientConnections = limits.maximumClientConnections ?? maximumClientConnections
        return configuration
    }
}
