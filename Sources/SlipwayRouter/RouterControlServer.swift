import Foundation
import NIOCore
import NIOPosix

/// Serves the control protocol (see ``RouterControlRequest``) on a unix domain socket, so that
/// another process, the Slipway agent, can drive a ``TrafficRouter``.
public final class RouterControlServer: Sendable {
    public let socketPath: String
    private let router: TrafficRouter
    private let listener: NIOAsyncChannel<NIOAsyncChannel<ByteBuffer, ByteBuffer>, Never>

    private init(socketPath: String, router: TrafficRouter, listener: NIOAsyncChannel<NIOAsyncChannel<ByteBuffer, ByteBuffer>, Never>) {
        self.socketPath = socketPath
        self.router = router
        self.listener = listener
    }

    /// Listens on `socketPath`, readable and writable by this user only (0600). A stale socket
    /// left by a dead router is replaced; one that still answers is not.
    public static func bind(socketPath: String, router: TrafficRouter) async throws -> RouterControlServer {
        let byteCount = socketPath.utf8.count
        // sun_path holds 108 bytes including the terminating zero.
        guard byteCount < 108 else {
            throw RouterError.socketPathTooLong(path: socketPath, byteCount: byteCount)
        }
        try await removeStaleSocket(at: socketPath)
        let listener: NIOAsyncChannel<NIOAsyncChannel<ByteBuffer, ByteBuffer>, Never>
        do {
            listener = try await ServerBootstrap(group: MultiThreadedEventLoopGroup.singleton)
                .bind(unixDomainSocketPath: socketPath) { channel in
                    channel.eventLoop.makeCompletedFuture {
                        try channel.pipeline.syncOperations.addHandler(
                            ByteToMessageHandler(LineFrameDecoder(maximumLineLength: 1 << 20)))
                        return try NIOAsyncChannel<ByteBuffer, ByteBuffer>(wrappingChannelSynchronously: channel)
                    }
                }
        } catch {
            throw RouterError.socketPathOccupied(path: socketPath, reason: "\(error)")
        }
        // The socket file is created with the umask's mode; tighten it before anyone is served.
        guard chmod(socketPath, 0o600) == 0 else {
            let reason = String(cString: strerror(errno))
            try? await listener.channel.close().get()
            throw RouterError.socketPathOccupied(path: socketPath, reason: "cannot set its mode to 0600: \(reason)")
        }
        return RouterControlServer(socketPath: socketPath, router: router, listener: listener)
    }

    /// Serves connections until a `shutdown` request (which shuts the router down first) or
    /// ``close()``, then removes the socket file.
    public func run() async throws {
        defer { unlink(socketPath) }
        try await listener.executeThenClose { connections in
            try await withThrowingDiscardingTaskGroup { group in
                for try await connection in connections {
                    group.addTask { await self.serve(connection) }
                }
                // Idle clients must not keep a stopped server alive.
                group.cancelAll()
            }
        }
    }

    /// Stops accepting; ``run()`` returns.
    public func close() {
        listener.channel.close(promise: nil)
    }

    private func serve(_ connection: NIOAsyncChannel<ByteBuffer, ByteBuffer>) async {
        try? await connection.executeThenClose { lines, outbound in
            for try await line in lines {
                let request = Self.decode(line)
                let response = await answer(request)
                var reply = ByteBuffer(bytes: try JSONEncoder.controlProtocol.encode(response))
                reply.writeString("\n")
                try await outbound.write(reply)
                if case .success(.shutdown) = request, response.ok {
                    close()
                    return
                }
            }
        }
    }

    private static func decode(_ line: ByteBuffer) -> Result<RouterControlRequest, RouterError> {
        do {
            return .success(try JSONDecoder().decode(RouterControlRequest.self, from: Data(line.readableBytesView)))
        } catch let error as DecodingError {
            return .failure(.invalidRequest(explain(error)))
        } catch {
            return .failure(.invalidRequest("\(error)"))
        }
    }

    private func answer(_ request: Result<RouterControlRequest, RouterError>) async -> RouterControlResponse {
        do {
            switch try request.get() {
            case .ping:
                return RouterControlResponse(pid: Int(getpid()))
            case .addRoute(let name, let host, let port, let limits):
                return RouterControlResponse(
                    port: try await router.addRoute(name: name, host: host, port: port, limits: limits))
            case .removeRoute(let name):
                try await router.removeRoute(name)
            case .setUpstream(let route, let color, let host, let port):
                try router.setUpstream(route: route, color: color, host: host, port: port)
            case .clearUpstream(let route, let color):
                try router.clearUpstream(route: route, color: color)
            case .setWeights(let route, let weights):
                try router.setWeights(route: route, weights)
            case .metrics(let route):
                return RouterControlResponse(metrics: try router.metrics(route: route))
            case .routes:
                return RouterControlResponse(routes: router.routes())
            case .shutdown:
                try await router.shutdown()
            }
            return RouterControlResponse()
        } catch {
            return .failure("\(error)")
        }
    }

    /// Says what is wrong with a request in the protocol's own terms, not Swift's.
    private static func explain(_ error: DecodingError) -> String {
        func field(_ path: [any CodingKey]) -> String {
            path.map(\.stringValue).joined(separator: ".")
        }
        switch error {
        case .keyNotFound(let key, _):
            return "missing field \"\(key.stringValue)\""
        case .typeMismatch(_, let context), .valueNotFound(_, let context):
            return "field \"\(field(context.codingPath))\" has the wrong type"
        case .dataCorrupted(let context) where context.codingPath.isEmpty:
            return "a request is one JSON object on one line"
        case .dataCorrupted(let context):
            return "field \"\(field(context.codingPath))\": \(context.debugDescription)"
        @unknown default:
            return "\(error)"
        }
    }

    /// An existing socket file is either a dead router's (removed) or a live one's (refused).
    private static func removeStaleSocket(at path: String) async throws {
        var info = stat()
        guard lstat(path, &info) == 0 else { return }
        guard info.st_mode & S_IFMT == S_IFSOCK else {
            throw RouterError.socketPathOccupied(path: path, reason: "a file that is not a socket is in the way")
        }
        if let live = try? await ClientBootstrap(group: MultiThreadedEventLoopGroup.singleton)
            .connect(unixDomainSocketPath: path).get()
        {
            try? await live.close().get()
            throw RouterError.socketPathOccupied(path: path, reason: "another router is listening on it")
        }
        unlink(path)
    }
}
