import Foundation
import NIOCore
import NIOPosix
import Testing

@testable import SlipwayRouter

@Suite("Router control channel", .timeLimit(.minutes(2)))
struct RouterControlTests {
    /// A router served on a fresh control socket; `body` gets a client for it. The server is
    /// stopped and the router shut down at the end, whatever happened.
    private func withControlledRouter(_ body: (RouterControlClient, RouterControlServer) async throws -> Void) async throws {
        let path = temporarySocketPath()
        let router = TrafficRouter(configuration: .forTests, numberOfThreads: 1)
        let server = try await RouterControlServer.bind(socketPath: path, router: router)
        let serving = Task { try await server.run() }
        do {
            try await body(RouterControlClient(socketPath: path, timeout: .seconds(10)), server)
        } catch {
            server.close()
            try? await serving.value
            try? await router.shutdown()
            throw error
        }
        server.close()
        try await serving.value
        try await router.shutdown()
    }

    @Test("the socket file is readable and writable by its owner only")
    func socketIsPrivate() async throws {
        try await withControlledRouter { _, server in
            let attributes = try FileManager.default.attributesOfItem(atPath: server.socketPath)
            let permissions = try #require(attributes[.posixPermissions] as? NSNumber)
            #expect(permissions.intValue & 0o777 == 0o600)
        }
    }

    @Test("a socket path of 108 bytes or more is refused with the reason")
    func refusesALongPath() async throws {
        let router = TrafficRouter(configuration: .forTests, numberOfThreads: 1)
        let path = "/tmp/" + String(repeating: "s", count: 103)
        #expect(path.utf8.count == 108)
        let error = await #expect(throws: RouterError.self) {
            _ = try await RouterControlServer.bind(socketPath: path, router: router)
        }
        #expect(error == .socketPathTooLong(path: path, byteCount: 108))
        #expect(error?.description.contains("108") == true)
        #expect(!somethingExists(at: path))
        try await router.shutdown()
    }

    @Test("add, point, split, read and remove a route through the socket")
    func drivesARouter() async throws {
        try await withControlledRouter { client, _ in
            let blue = try await TestBackend.start("blue")
            let green = try await TestBackend.start("green")
            do {
                try await driveThroughTheSocket(client, blue: blue, green: green)
            } catch {
                await blue.stop()
                await green.stop()
                throw error
            }
            await blue.stop()
            await green.stop()
        }
    }

    private func driveThroughTheSocket(_ client: RouterControlClient, blue: TestBackend, green: TestBackend) async throws {
        #expect(try await client.ping() == Int(getpid()))

        let port = try await client.addRoute(name: "web")
        try await client.setUpstream(route: "web", color: .blue, host: "127.0.0.1", port: blue.port)
        try await client.setUpstream(route: "web", color: .green, host: "127.0.0.1", port: green.port)
        #expect(try await TestHTTPClient.get("/", port: port).color == "blue")

        try await client.setWeights(route: "web", .allGreen)
        #expect(try await TestHTTPClient.get("/", port: port).color == "green")

        let routes = try await client.routes()
        #expect(routes == [
            RouteSummary(
                name: "web", host: "127.0.0.1", port: port, weights: .allGreen,
                blueUpstream: UpstreamAddress(host: "127.0.0.1", port: blue.port),
                greenUpstream: UpstreamAddress(host: "127.0.0.1", port: green.port))
        ])
        let metrics = try await client.metrics(route: "web")
        #expect(metrics.blue.requests == 1)
        #expect(metrics.green.requests == 1)
        #expect(metrics.green.latencySummary.count == 1)

        try await client.clearUpstream(route: "web", color: .green)
        #expect(try await TestHTTPClient.get("/", port: port).status == .badGateway)

        try await client.removeRoute("web")
        #expect(try await client.routes().isEmpty)
    }

    @Test("a failed request comes back as ok false with the reason")
    func reportsErrors() async throws {
        try await withControlledRouter { client, _ in
            let unknown = try await client.send(.setWeights(route: "nope", weights: .allGreen))
            #expect(unknown == .failure("no route named \"nope\""))

            await #expect(throws: RouterError.rejected("no route named \"nope\"")) {
                try await client.metrics(route: "nope")
            }
        }
    }

    @Test("malformed lines get a plain error and the connection stays usable")
    func explainsMalformedRequests() async throws {
        try await withControlledRouter { client, _ in
            let answers = try await exchangeLines(
                [
                    "not json",
                    #"{"command":"teleport"}"#,
                    #"{"command":"set_weights","route":"web"}"#,
                    #"{"command":"set_weights","route":"web","green_percent":150}"#,
                    #"{"command":"set_upstream","route":"web","color":"red","host":"127.0.0.1","port":1}"#,
                    #"{"command":"ping"}"#,
                ],
                socketPath: client.socketPath)
            #expect(answers.count == 6)
            #expect(answers[0] == #"{"error":"invalid request: a request is one JSON object on one line","ok":false}"#)
            #expect(answers[1].contains(#"unknown command \"teleport\""#))
            #expect(answers[2].contains(#"missing field \"green_percent\""#))
            #expect(answers[3].contains("green_percent must be 0...100, got 150"))
            #expect(answers[4].contains(#"field \"color\""#))
            #expect(answers[5] == #"{"ok":true,"pid":\#(getpid())}"#)
        }
    }

    @Test("add_route carries a route's own client timeouts and connection cap, each optional")
    func addRouteCarriesLimits() throws {
        let limits = RouteLimits(
            clientHeaderTimeout: .milliseconds(1500), clientIdleTimeout: .seconds(30), clientBodyTimeout: .seconds(10),
            maximumClientConnections: 500)
        let request = RouterControlRequest.addRoute(name: "web", host: "127.0.0.1", port: 0, limits: limits)
        let line = String(decoding: try JSONEncoder.controlProtocol.encode(request), as: UTF8.self)
        #expect(line.contains(#""client_header_timeout":1.5"#))
        #expect(line.contains(#""maximum_client_connections":500"#))
        #expect(try JSONDecoder().decode(RouterControlRequest.self, from: Data(line.utf8)) == request)

        let bare = #"{"command":"add_route","route":"web","client_idle_timeout":5}"#
        #expect(try JSONDecoder().decode(RouterControlRequest.self, from: Data(bare.utf8))
            == .addRoute(name: "web", host: "127.0.0.1", port: 0, limits: RouteLimits(clientIdleTimeout: .seconds(5))))
    }

    @Test("a route added through the socket with a header timeout closes a silent client after it")
    func addsARouteWithLimitsThroughTheSocket() async throws {
        try await withControlledRouter { client, _ in
            let answers = try await exchangeLines(
                [
                    #"{"command":"add_route","route":"web","client_header_timeout":0}"#,
                    #"{"command":"add_route","route":"web","maximum_client_connections":0}"#,
                ],
                socketPath: client.socketPath)
            #expect(answers.count == 2)
            #expect(answers[0].contains("must be seconds between 0 and 86400, got 0"))
            #expect(answers[1].contains("must be at least 1, got 0"))

            let port = try await client.addRoute(name: "web", limits: RouteLimits(clientHeaderTimeout: .seconds(1)))
            let connection = try await RawConnection.connect(port: port)
            defer { connection.close() }
            try await waitUntil("the route closes the silent connection") { !connection.isOpen }
        }
    }

    @Test("a live socket is refused and a stale one replaced")
    func guardsTheSocketPath() async throws {
        try await withControlledRouter { client, _ in
            let other = TrafficRouter(configuration: .forTests, numberOfThreads: 1)
            let error = await #expect(throws: RouterError.self) {
                _ = try await RouterControlServer.bind(socketPath: client.socketPath, router: other)
            }
            #expect(error?.description.contains("another router is listening") == true)
            #expect(try await client.ping() == Int(getpid()))
            try await other.shutdown()
        }

        let path = temporarySocketPath()
        try makeStaleSocketFile(at: path)
        #expect(somethingExists(at: path))
        let router = TrafficRouter(configuration: .forTests, numberOfThreads: 1)
        let server = try await RouterControlServer.bind(socketPath: path, router: router)
        server.close()
        try await server.run()
        try await router.shutdown()
        #expect(!somethingExists(at: path))
    }

    @Test("a router process runs until told to shut down, with idle clients connected")
    func runsARouterProcess() async throws {
        let path = temporarySocketPath()
        let process = Task { try await RouterProcess.run(controlSocket: path) }
        let client = RouterControlClient(socketPath: path, timeout: .seconds(10))
        try await waitUntil("the router process answers") { (try? await client.ping()) != nil }
        let port = try await client.addRoute(name: "web")

        let idle = try await ClientBootstrap(group: MultiThreadedEventLoopGroup.singleton)
            .connect(unixDomainSocketPath: path).get()
        defer { idle.close(promise: nil) }

        try await client.shutdown()
        try await process.value
        #expect(!somethingExists(at: path))
        await #expect(throws: (any Error).self) {
            try await TestHTTPClient.get("/", port: port)
        }
    }

    /// Sends raw lines on one connection and returns the answer lines.
    private func exchangeLines(_ lines: [String], socketPath: String) async throws -> [String] {
        let channel = try await ClientBootstrap(group: MultiThreadedEventLoopGroup.singleton)
            .connect(unixDomainSocketPath: socketPath) { channel in
                channel.eventLoop.makeCompletedFuture {
                    try channel.pipeline.syncOperations.addHandler(
                        ByteToMessageHandler(LineFrameDecoder(maximumLineLength: 1 << 20)))
                    return try NIOAsyncChannel<ByteBuffer, ByteBuffer>(wrappingChannelSynchronously: channel)
                }
            }
        return try await channel.executeThenClose { inbound, outbound in
            var answers: [String] = []
            var iterator = inbound.makeAsyncIterator()
            for line in lines {
                try await outbound.write(ByteBuffer(string: line + "\n"))
                guard let answer = try await iterator.next() else { break }
                answers.append(String(buffer: answer))
            }
            return answers
        }
    }
}
