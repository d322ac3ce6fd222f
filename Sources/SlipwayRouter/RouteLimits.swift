/// A route's own client timeouts and connection cap, as `add_route` may set them; each one left
/// nil is the router's (``RouterConfiguration``). Fixed for the route's life: changing one means
/// adding the route again.
public struct RouteLimits: Sendable, Equatable {
    /// nginx's `client_header_timeout`; see ``RouterConfiguration/clientHeaderTimeout``.
    public var clientHeaderTimeout: Duration?
    /// nginx's `keepalive_timeout`; see ``RouterConfiguration/clientIdleTimeout``.
    public var clientIdleTimeout: Duration?
    /// nginx's `client_body_timeout`; see ``RouterConfiguration/clientBodyTimeout``.
    public var clientBodyTimeout: Duration?
    /// See ``RouterConfiguration/maximumClientConnections``.
    public var maximumClientConnections: Int?

    public init(
        clientHeaderTimeout: Duration? = nil, clientIdleTimeout: Duration? = nil, clientBodyTimeout: Duration? = nil,
        maximumClientConnections: Int? = nil
    ) {
        self.clientHeaderTimeout = clientHeaderTimeout
        self.clientIdleTimeout = clientIdleTimeout
        self.clientBodyTimeout = clientBodyTimeout
        self.maximumClientConnections = maximumClientConnections
    }
}
