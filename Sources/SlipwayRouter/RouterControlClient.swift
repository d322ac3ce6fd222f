import Foundation
import NIOCore
import NIOPosix

/// Drives a router process through its control socket. Each request uses a connection of its
/// own, so the client keeps no state and carries on across router restarts.
public struct RouterControlClient: Sendable {
    public let socketPath: String
    /// How long to wait for an answer; removing a route waits for its drain.
    public var timeout: Duration

    public init(socketPath: String, timeout: Duration = .seconds(60)) {
        self.socketPath = socketPath
        self.timeout = timeout
    }

    /// Sends one request and returns the answer as it came, `{"ok":false}` included.
    public func send(_ request: RouterControlRequest) async throws -> RouterControlResponse {
        let connection: NIOAsyncChannel<ByteBuffer, ByteBuffer>
        do {
            connection = try await ClientBootstrap(group: MultiThreadedEventLoopGroup.singleton)
                .connect(unixDomainSocketPath: socketPath) { channel in
                    channel.eventLoop.makeCompletedFuture {
                        try channel.pipeline.syncOperations.addHandler(
                            ByteToMessageHandler(LineFrameDecoder(maximumLineLength: 64 << 20)))
                        return try NIOAsyncChannel<ByteBuffer, ByteBuffer>(wrappingChannelSynchronously: channel)
                    }
                }
        } catch {
            throw RouterError.controlUnreachable(path: socketPath, reason: "\(error)")
        }
        let channel = connection.channel
        let giveUp = channel.eventLoop.scheduleTask(in: TimeAmount(timeout)) {
            channel.close(promise: nil)
        }
        defer { giveUp.cancel() }
        var line = ByteBuffer(bytes: try JSONEncoder.controlProtocol.encode(request))
        line.writeString("\n")
        let answer: ByteBuffer?
        do {
            answer = try await connection.executeThenClose { answers, outbound in
                try await outbound.write(line)
                var iterator = answers.makeAsyncIterator()
                return try await iterator.next()
            }
        } catch {
            throw RouterError.controlNoAnswer(path: socketPath)
        }
        guard let answer else {
            throw RouterError.controlNoAnswer(path: socketPath)
        }
        do {
            return try JSONDecoder().decode(RouterControlResponse.self, from: Data(answer.readableBytesView))
        } catch {
            throw RouterError.malformedAnswer("\(error)")
        }
    }

    /// Sends one request and throws ``RouterError/rejected(_:)`` with the router's message when it
    /// answers `{"ok":false}`.
    @discardableResult
    public func perform(_ request: RouterControlRequest) async throws -> RouterControlResponse {
        let response = try await send(request)
        guard response.ok else {
            throw RouterError.rejected(response.error ?? "the router refused the request without saying why")
        }
        return response
    }

    /// The router process's id.
    public func ping() async throws -> Int {
        try Self.required(try await perform(.ping).pid, "pid")
    }

    /// - Parameter limits: the route's own client timeouts and connection cap; by default the router's.
    /// - Returns: the port the route listens on.
    @discardableResult
    public func addRoute(
        name: String, host: String = "127.0.0.1", port: Int = 0, limits: RouteLimits = RouteLimits()
    ) async throws -> Int {
        try Self.required(try await perform(.addRoute(name: name, host: host, port: port, limits: limits)).port, "port")
    }

    public func removeRoute(_ name: String) async throws {
        try await perform(.removeRoute(name: name))
    }

    public func setUpstream(route: String, color: SlotColor, host: String, port: Int) async throws {
        try await perform(.setUpstream(route: route, color: color, host: host, port: port))
    }

    public func clearUpstream(route: String, color: SlotColor) async throws {
        try await perform(.clearUpstream(route: route, color: color))
    }

    public func setWeights(route: String, _ weights: TrafficWeights) async throws {
        try await perform(.setWeights(route: route, weights: weights))
    }

    public func metrics(route: String) async throws -> RouteMetrics {
        try Self.required(try await perform(.metrics(route: route)).metrics, "metrics")
    }

    public func routes() async throws -> [RouteSummary] {
        try Self.required(try await perform(.routes).routes, "routes")
    }

    /// Returns once the router has drained and closed every route.
    public func shutdown() async throws {
        try await perform(.shutdown)
    }

    private static func required<Value>(_ value: Value?, _ field: String) throws -> Value {
        guard let value else {
            throw RouterError.malformedAnswer("the field \"\(field)\" is missing")
        }
        return value
    }
}
