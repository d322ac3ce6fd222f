import NIOHTTP1
import Testing

@testable import SlipwayRouter

/// nginx's client timeouts and a connection cap, with timeouts of a second or two and deadlines
/// of several seconds, so a loaded machine makes a test slower, not wrong.
@Suite("Client limits", .timeLimit(.minutes(2)))
struct ClientLimitsTests {
    private static func configuration(
        header: Duration = .seconds(60), idle: Duration = .seconds(75), body: Duration = .seconds(60),
        maximumConnections: Int = 1024
    ) -> RouterConfiguration {
        var configuration = RouterConfiguration.forTests
        configuration.clientHeaderTimeout = header
        configuration.clientIdleTimeout = idle
        configuration.clientBodyTimeout = body
        configuration.maximumClientConnections = maximumConnections
        return configuration
    }

    // MARK: Timeouts

    @Test("connections that never send a request are closed after the header timeout")
    func closesSilentConnections() async throws {
        try await RoutedBackends.run(configuration: Self.configuration(header: .seconds(1))) { routed in
            var connections: [RawConnection] = []
            defer { connections.forEach { $0.close() } }
            for _ in 0..<100 {
                connections.append(try await RawConnection.connect(port: routed.port))
            }
            try await waitUntil("the router closes every silent connection") {
                connections.allSatisfy { !$0.isOpen }
            }
            #expect(connections.allSatisfy { $0.response.isEmpty })
        }
    }

    @Test("a head trickling in byte by byte is cut off when the header timeout runs out")
    func closesAClientTricklingItsHead() async throws {
        // An idle timeout far longer than the test: only the head's own deadline can close it.
        let configuration = Self.configuration(header: .seconds(1), idle: .seconds(600), body: .seconds(600))
        try await RoutedBackends.run(configuration: configuration) { routed in
            let connection = try await RawConnection.connect(port: routed.port)
            defer { connection.close() }
            try await connection.send("GET / HTTP/1.1\r\nHost: test.local\r\n")
            // A byte every 100 ms keeps the connection busy far more often than any idle check.
            for _ in 0..<100 where connection.isOpen {
                try? await connection.send("X")
                try await Task.sleep(for: .milliseconds(100))
            }
            #expect(!connection.isOpen)
            #expect(routed.blue.acceptedConnections == 0)
        }
    }

    @Test("the header timeout of a kept-alive connection counts from the first byte of the next head")
    func headTimeoutOfALaterRequest() async throws {
        let configuration = Self.configuration(header: .seconds(1), idle: .seconds(600), body: .seconds(600))
        try await RoutedBackends.run(configuration: configuration) { routed in
            let connection = try await RawConnection.connect(port: routed.port)
            defer { connection.close() }
            try await connection.send("GET / HTTP/1.1\r\nHost: test.local\r\n\r\n")
            try await waitUntil("the first request is answered") { connection.response.hasSuffix("blue") }
            // Silent for longer than the header timeout: idle, which is allowed for 600 s.
            try await Task.sleep(for: .seconds(2))
            #expect(connection.isOpen)
            try await connection.send("GET / HTTP/1.1\r\n")
            try await waitUntil("the unfinished second head is cut off") { !connection.isOpen }
        }
    }

    @Test("a kept-alive connection silent between requests is closed after the idle timeout")
    func closesIdleKeptAliveConnections() async throws {
        let configuration = Self.configuration(header: .seconds(600), idle: .seconds(1), body: .seconds(600))
        try await RoutedBackends.run(configuration: configuration) { routed in
            let client = try await TestHTTPClient.connect(port: routed.port)
            defer { client.close() }
            #expect(try await client.send(path: "/").body == "blue")
            try await waitUntil("the router closes the idle connection") { !client.isOpen }
        }
    }

    @Test("a body that stops arriving gets 408 after the body timeout")
    func answers408WhenTheBodyStops() async throws {
        let configuration = Self.configuration(header: .seconds(600), idle: .seconds(600), body: .seconds(1))
        try await RoutedBackends.run(configuration: configuration) { routed in
            let connection = try await RawConnection.connect(port: routed.port)
            defer { connection.close() }
            try await connection.send("POST /echo HTTP/1.1\r\nHost: test.local\r\nContent-Length: 10\r\n\r\nabc")
            try await waitUntil("the router gives up on the body") { !connection.isOpen }
            #expect(connection.response.hasPrefix("HTTP/1.1 408 Request Timeout\r\n"))
            #expect(routed.blue.acceptedConnections == 0)
        }
    }

    @Test("a body arriving slowly but steadily is not cut off: the body timeout is between reads")
    func aSteadyBodyIsForwarded() async throws {
        let configuration = Self.configuration(header: .seconds(600), idle: .seconds(600), body: .seconds(2))
        try await RoutedBackends.run(configuration: configuration) { routed in
            let connection = try await RawConnection.connect(port: routed.port)
            defer { connection.close() }
            try await connection.send("POST /echo HTTP/1.1\r\nHost: test.local\r\nContent-Length: 12\r\n\r\n")
            for _ in 0..<12 {
                try await Task.sleep(for: .milliseconds(250))
                try await connection.send("x")
            }
            try await waitUntil("the whole body is forwarded") { connection.response.hasSuffix("\r\n\r\n12") }
            #expect(connection.response.hasPrefix("HTTP/1.1 200 OK\r\n"))
        }
    }

    @Test("a route's own timeouts apply in place of the router's")
    func routeLimitsOverrideTheRouters() async throws {
        let router = TrafficRouter(configuration: .forTests, numberOfThreads: 1)
        do {
            let port = try await router.addRoute(name: "web", limits: RouteLimits(clientHeaderTimeout: .seconds(1)))
            let connection = try await RawConnection.connect(port: port)
            defer { connection.close() }
            try await waitUntil("the route's header timeout closes the silent connection") { !connection.isOpen }
        } catch {
            try await router.shutdown()
            throw error
        }
        try await router.shutdown()
    }

    // MARK: Connection cap

    @Test("a connection beyond the route's cap gets 503, and one is served again once a place frees up")
    func capsConnectionsPerRoute() async throws {
        try await RoutedBackends.run(configuration: Self.configuration(maximumConnections: 2)) { routed in
            let first = try await TestHTTPClient.connect(port: routed.port)
            let second = try await TestHTTPClient.connect(port: routed.port)
            defer {
                first.close()
                second.close()
            }
            #expect(try await first.send(path: "/").status == .ok)
            #expect(try await second.send(path: "/").status == .ok)

            let refused = try await TestHTTPClient.get("/", port: routed.port)
            #expect(refused.status == .serviceUnavailable)
            #expect(refused.headers.first(name: "connection") == "close")

            first.close()
            try await waitUntil("a new connection is served once the first one is gone", timeout: .seconds(10)) {
                (try? await TestHTTPClient.get("/", port: routed.port).status) == .ok
            }
            #expect(try await second.send(path: "/").status == .ok)
        }
    }

    // MARK: Host and target

    @Test("an HTTP/1.1 request without Host, or with two, gets 400; HTTP/1.0 needs none")
    func requiresOneHostOnHTTP11() async throws {
        try await RoutedBackends.run { routed in
            for request in [
                "GET / HTTP/1.1\r\n\r\n",
                "GET / HTTP/1.1\r\nHost: a.test\r\nHost: b.test\r\n\r\n",
                "GET / HTTP/1.1\r\nHost:\r\n\r\n",
            ] {
                let connection = try await RawConnection.connect(port: routed.port)
                defer { connection.close() }
                try await connection.send(request)
                try await waitUntil("the router answers and closes") { !connection.isOpen }
                #expect(connection.response.hasPrefix("HTTP/1.1 400 Bad Request\r\n"), "\(request)")
            }
            #expect(routed.blue.acceptedConnections == 0)

            let old = try await RawConnection.connect(port: routed.port)
            defer { old.close() }
            try await old.send("GET / HTTP/1.0\r\n\r\n")
            try await waitUntil("the HTTP/1.0 request is answered") { !old.isOpen }
            #expect(old.response.hasPrefix("HTTP/1.0 200 OK\r\n"))
        }
    }

    @Test("a request the parser rejects gets 400 and the connection is closed; it reaches no upstream")
    func answersMalformedRequests() async throws {
        try await RoutedBackends.run { routed in
            for request in [
                "GET / HTTP/1.1\r\nHost: a.test\r\nNo colon here\r\n\r\n",
                "G(T / HTTP/1.1\r\nHost: a.test\r\n\r\n",
            ] {
                let connection = try await RawConnection.connect(port: routed.port)
                defer { connection.close() }
                try await connection.send(request)
                try await waitUntil("the router answers and closes") { !connection.isOpen }
                #expect(connection.response.hasPrefix("HTTP/1.1 400 Bad Request\r\n"), "\(request)")
                #expect(connection.response.lowercased().contains("connection: close\r\n"), "\(request)")
            }
            #expect(routed.blue.acceptedConnections == 0)
        }
    }

    @Test("an absolute-form target naming another host gets 400; naming the Host, it goes upstream as a path")
    func refusesAbsoluteTargetsForOtherHosts() async throws {
        try await RoutedBackends.run { routed in
            for target in ["http://elsewhere.test/", "http://user@test.local/", "ftp://test.local/", "test.local:80"] {
                let connection = try await RawConnection.connect(port: routed.port)
                defer { connection.close() }
                try await connection.send("GET \(target) HTTP/1.1\r\nHost: test.local\r\n\r\n")
                try await waitUntil("the router answers and closes") { !connection.isOpen }
                #expect(connection.response.hasPrefix("HTTP/1.1 400 Bad Request\r\n"), "\(target)")
            }
            #expect(routed.blue.acceptedConnections == 0)

            // The test backend answers 500 to "/fail" only when that is the target it is given.
            let connection = try await RawConnection.connect(port: routed.port)
            defer { connection.close() }
            try await connection.send("GET http://Test.Local:80/fail HTTP/1.1\r\nHost: test.local\r\nConnection: close\r\n\r\n")
            try await waitUntil("the request is answered") { !connection.isOpen }
            #expect(connection.response.hasPrefix("HTTP/1.1 500 Internal Server Error\r\n"))
        }
    }
}
