/// One answer of the control protocol, a JSON object on one line: `{"ok":true,...}` with the
/// field the request asked for, or `{"ok":false,"error":"..."}`.
public struct RouterControlResponse: Sendable, Equatable, Codable {
    public var ok: Bool
    public var error: String?
    /// `ping`: the router's process id, so an agent can re-adopt a router it did not start.
    public var pid: Int?
    /// `add_route`: the port the route listens on.
    public var port: Int?
    /// `metrics`
    public var metrics: RouteMetrics?
    /// `routes`
    public var routes: [RouteSummary]?

    public init(
        ok: Bool = true, error: String? = nil, pid: Int? = nil, port: Int? = nil,
        metrics: RouteMetrics? = nil, routes: [RouteSummary]? = nil
    ) {
        self.ok = ok
        self.error = error
        self.pid = pid
        self.port = port
        self.metrics = metrics
        self.routes = routes
    }

    public static func failure(_ message: String) -> RouterControlResponse {
        RouterControlResponse(ok: false, error: message)
    }
}
