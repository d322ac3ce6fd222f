import NIOCore
import NIOPosix
import Synchronization

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// An HTTP/1.1 reverse proxy for blue/green and canary releases: one listener per route, each
/// sending its requests to a blue and a green upstream by weight. One per process; every route
/// shares its event loops.
public final class TrafficRouter: Sendable {
    private struct Table {
        var routes: [String: Route] = [:]
        /// Names whose listener is being bound, so two adds of one name cannot both succeed.
        var reserved: Set<String> = []
        var isShutDown = false
    }

    public let configuration: RouterConfiguration
    private let group: MultiThreadedEventLoopGroup
    private let flushBatches: UpstreamFlushBatches
    private let table = Mutex(Table())

    /// - Parameter numberOfThreads: event loops; nil takes one per core the process may run on.
    public init(configuration: RouterConfiguration = RouterConfiguration(), numberOfThreads: Int? = nil) {
        self.configuration = configuration
        self.group = MultiThreadedEventLoopGroup(numberOfThreads: numberOfThreads ?? System.schedulableCoreCount)
        self.flushBatches = UpstreamFlushBatches(group: group)
    }

    /// Starts listening for a route. Port 0 picks a free port.
    /// - Parameter limits: the route's own client timeouts and connection cap; by default the router's.
    /// - Returns: the port the route listens on.
    @discardableResult
    public func addRoute(
        name: String, host: String = "127.0.0.1", port: Int = 0, limits: RouteLimits = RouteLimits()
    ) async throws -> Int {
        try table.withLock { table in
            guard !table.isShutDown else { throw RouterError.routerShutDown }
            guard table.routes[name] == nil, !table.reserved.contains(name) else {
                throw RouterError.routeExists(name)
            }
            table.reserved.insert(name)
        }
        let route = Route(
            name: name, host: host, configuration: configuration.applying(limits), flushBatches: flushBatches,
            timerLoop: group.next())
        let listener: any Channel
        do {
            listener = try await bind(route, host: host, port: port)
        } catch {
            _ = table.withLock { $0.reserved.remove(name) }
            throw error
        }
        let boundPort = listener.localAddress?.port ?? port
        route.attach(listener: listener, port: boundPort)
        let added = table.withLock { table in
            table.reserved.remove(name)
            guard !table.isShutDown else { return false }
            table.routes[name] = route
            return true
        }
        guard added else {
            await route.close()
            throw RouterError.routerShutDown
        }
        return boundPort
    }

    private func bind(_ route: Route, host: String, port: Int) async throws -> any Channel {
        do {
            return try await ServerBootstrap(group: group)
                .serverChannelOption(.backlog, value: 256)
                .serverChannelOption(.socketOption(.so_reuseaddr), value: 1)
                .childChannelInitializer { channel in
                    let admission = route.track(client: channel)
                    if case .closing = admission {
                        return channel.close()
                    }
                    let overLimit = if case .overLimit = admission { true } else { false }
                    return channel.eventLoop.makeCompletedFuture {
                        try channel.pipeline.syncOperations.addRouterClientHandlers(route: route, overLimit: overLimit)
                    }
                }
                .childChannelOption(.maxMessagesPerRead, value: 16)
                .bind(host: host, port: port)
                .get()
        } catch let error as IOError where error.errnoCode == EADDRINUSE {
            throw RouterError.addressInUse(host: host, port: port)
        } catch {
            throw RouterError.bindFailed(host: host, port: port, reason: "\(error)")
        }
    }

    /// Stops a route: no new connections, requests in flight finish within the drain timeout.
    /// Returns when its port is free and all its connections are closed.
    public func removeRoute(_ name: String) async throws {
        let route = try table.withLock { table in
            guard let route = table.routes.removeValue(forKey: name) else {
                throw RouterError.unknownRoute(name)
            }
            return route
        }
        await route.close()
    }

    /// Points one colour of a route at an upstream. Requests that arrive after this returns use
    /// it; requests in flight to a previous address finish there.
    public func setUpstream(route name: String, color: SlotColor, host: String, port: Int) throws {
        try route(named: name).setUpstream(UpstreamAddress(host: host, port: port), for: color)
    }

    /// Leaves a colour without an upstream: requests given to it get 502.
    public func clearUpstream(route name: String, color: SlotColor) throws {
        try route(named: name).setUpstream(nil, for: color)
    }

    /// Changes the split. When this returns, every later request is routed by the new weights;
    /// a colour left with no traffic is drained.
    public func setWeights(route name: String, _ weights: TrafficWeights) throws {
        try route(named: name).setWeights(weights)
    }

    /// Cumulative counters since the route was added.
    public func metrics(route name: String) throws -> RouteMetrics {
        try route(named: name).metrics()
    }

    /// Every route, sorted by name.
    public func routes() -> [RouteSummary] {
        table.withLock { Array($0.routes.values) }.map { $0.summary() }.sorted { $0.name < $1.name }
    }

    /// Removes every route (draining each) and stops the event loops. Calling it again does nothing.
    public func shutdown() async throws {
        let routes = table.withLock { table -> [Route]? in
            guard !table.isShutDown else { return nil }
            table.isShutDown = true
            defer { table.routes = [:] }
            return Array(table.routes.values)
        }
        guard let routes else { return }
        await withDiscardingTaskGroup { group in
            for route in routes {
                group.addTask { await route.close() }
            }
        }
        try await group.shutdownGracefully()
    }

    private func route(named name: String) throws -> Route {
        try table.withLock { table in
            guard let route = table.routes[name] else {
                throw RouterError.unknownRoute(name)
            }
            return route
        }
    }
}
