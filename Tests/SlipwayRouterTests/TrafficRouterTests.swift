import NIOHTTP1
import Testing

@testable import SlipwayRouter

@Suite("Traffic router", .timeLimit(.minutes(2)))
struct TrafficRouterTests {
    @Test("every request goes to the live colour, and the response says which")
    func routesToTheLiveColor() async throws {
        try await RoutedBackends.run { routed in
            let client = try await TestHTTPClient.connect(port: routed.port)
            defer { client.close() }

            let fromBlue = try await client.send(path: "/")
            #expect(fromBlue.status == .ok)
            #expect(fromBlue.body == "blue")
            #expect(fromBlue.color == "blue")

            try routed.router.setWeights(route: "web", .allGreen)
            let fromGreen = try await client.send(path: "/")
            #expect(fromGreen.body == "green")
            #expect(fromGreen.color == "green")
        }
    }

    @Test("20% green sends exactly 20 of 100 requests to green")
    func splitsByWeightExactly() async throws {
        try await RoutedBackends.run { routed in
            try routed.router.setWeights(route: "web", TrafficWeights(green: 20))
            let client = try await TestHTTPClient.connect(port: routed.port)
            defer { client.close() }

            var answeredBy: [String: Int] = [:]
            for _ in 0..<100 {
                let response = try await client.send(path: "/")
                #expect(response.color == response.body)
                answeredBy[response.body, default: 0] += 1
            }
            #expect(answeredBy == ["blue": 80, "green": 20])
        }
    }

    @Test("a switch lets the request in flight finish on blue and sends the next one to green")
    func switchDrainsTheOldColor() async throws {
        try await RoutedBackends.run { routed in
            let slowClient = try await TestHTTPClient.connect(port: routed.port)
            let client = try await TestHTTPClient.connect(port: routed.port)
            defer {
                slowClient.close()
                client.close()
            }
            let slow = Task { try await slowClient.send(path: "/hold") }
            try await waitUntil("blue holds the slow request") { routed.blue.heldRequests == 1 }

            try routed.router.setWeights(route: "web", .allGreen)
            let afterSwitch = try await client.send(path: "/")
            #expect(afterSwitch.body == "green")
            #expect(afterSwitch.color == "green")

            routed.blue.releaseHeldRequests()
            let finished = try await slow.value
            #expect(finished.status == .ok)
            #expect(finished.body == "blue")
            #expect(finished.color == "blue")
            try await waitUntil("the busy blue connection closes after its response") {
                routed.blue.openConnections == 0
            }
        }
    }

    @Test("idle keep-alive connections to the old colour are closed by a switch")
    func switchClosesIdleConnectionsOfTheOldColor() async throws {
        try await RoutedBackends.run { routed in
            let client = try await TestHTTPClient.connect(port: routed.port)
            defer { client.close() }
            _ = try await client.send(path: "/")
            #expect(routed.blue.openConnections == 1)

            try routed.router.setWeights(route: "web", .allGreen)
            try await waitUntil("the router closes its idle blue connection") { routed.blue.openConnections == 0 }
        }
    }

    @Test("a request still running on the old colour is cut off after the drain timeout")
    func drainTimeoutClosesWhatIsStillOpen() async throws {
        var configuration = RouterConfiguration.forTests
        configuration.drainTimeout = .seconds(1)
        try await RoutedBackends.run(configuration: configuration) { routed in
            let client = try await TestHTTPClient.connect(port: routed.port)
            defer { client.close() }
            let hanging = Task { try await client.send(path: "/hang") }
            try await waitUntil("blue has the hanging request") { routed.blue.openConnections == 1 }

            try routed.router.setWeights(route: "web", .allGreen)
            let response = try await hanging.value
            #expect(response.status == .badGateway)
            #expect(response.color == "blue")
            try await waitUntil("the blue connection is closed") { routed.blue.openConnections == 0 }
        }
    }

    @Test("a client connection silent between requests is closed after the idle timeout")
    func closesIdleClients() async throws {
        var configuration = RouterConfiguration.forTests
        // Generous: on a loaded machine a client can take over a second between connecting and sending.
        configuration.clientIdleTimeout = .seconds(3)
        configuration.upstreamTimeout = .seconds(10)
        try await RoutedBackends.run(configuration: configuration) { routed in
            let client = try await TestHTTPClient.connect(port: routed.port)
            defer { client.close() }
            // A response slower than the idle timeout is not cut off: the client owes nothing.
            let slow = Task { try await client.send(path: "/hold") }
            try await waitUntil("blue holds the request") { routed.blue.heldRequests == 1 }
            try await Task.sleep(for: .seconds(4))
            routed.blue.releaseHeldRequests()
            #expect(try await slow.value.body == "blue")

            try await waitUntil("the router closes the silent connection") { !client.isOpen }
        }
    }

    @Test("a colour without an upstream answers 502 at once")
    func answers502WithoutAnUpstream() async throws {
        try await RoutedBackends.run { routed in
            try routed.router.clearUpstream(route: "web", color: .green)
            try routed.router.setWeights(route: "web", .allGreen)

            let response = try await TestHTTPClient.get("/", port: routed.port)
            #expect(response.status == .badGateway)
            #expect(response.color == "green")
        }
    }

    @Test("an upstream that refuses connections gets 502 at once")
    func answers502WhenTheUpstreamIsDown() async throws {
        try await RoutedBackends.run { routed in
            let gone = try await TestBackend.start("gone")
            await gone.stop()
            try routed.router.setUpstream(route: "web", color: .blue, host: "127.0.0.1", port: gone.port)

            let response = try await TestHTTPClient.get("/", port: routed.port)
            #expect(response.status == .badGateway)
            #expect(response.color == "blue")
        }
    }

    @Test("an upstream killed after serving gets 502 at once, pooled connections and all")
    func answers502WhenTheUpstreamIsKilled() async throws {
        try await RoutedBackends.run { routed in
            let client = try await TestHTTPClient.connect(port: routed.port)
            defer { client.close() }
            #expect(try await client.send(path: "/").status == .ok)

            await routed.blue.stop()
            let response = try await client.send(path: "/")
            #expect(response.status == .badGateway)
            #expect(response.color == "blue")
        }
    }

    @Test("an upstream that does not answer within the timeout gets 504")
    func answers504OnAHangingUpstream() async throws {
        var configuration = RouterConfiguration.forTests
        configuration.upstreamTimeout = .seconds(1)
        try await RoutedBackends.run(configuration: configuration) { routed in
            let response = try await TestHTTPClient.get("/hang", port: routed.port)
            #expect(response.status == .gatewayTimeout)
            #expect(response.color == "blue")
        }
    }

    @Test("later requests on a kept-alive connection get 504 too")
    func answers504ForALaterRequestOnTheSameConnection() async throws {
        var configuration = RouterConfiguration.forTests
        configuration.upstreamTimeout = .seconds(1)
        try await RoutedBackends.run(configuration: configuration) { routed in
            let client = try await TestHTTPClient.connect(port: routed.port)
            defer { client.close() }
            // The connection's one timer is armed by the first request, still runs for the second,
            // and is armed again for the third after it fired.
            #expect(try await client.send(path: "/").status == .ok)
            for _ in 0..<2 {
                let response = try await client.send(path: "/hang")
                #expect(response.status == .gatewayTimeout)
                #expect(response.color == "blue")
            }
            #expect(client.isOpen)
        }
    }

    @Test("upstream connections are kept alive and reused")
    func reusesUpstreamConnections() async throws {
        try await RoutedBackends.run { routed in
            let client = try await TestHTTPClient.connect(port: routed.port)
            defer { client.close() }
            for _ in 0..<20 {
                #expect(try await client.send(path: "/").body == "blue")
            }
            for _ in 0..<5 {
                #expect(try await TestHTTPClient.get("/", port: routed.port).body == "blue")
            }
            #expect(routed.blue.acceptedConnections < 25)
        }
    }

    @Test("upstream connections past the idle limit of a colour are closed rather than pooled")
    func limitsIdleUpstreamConnections() async throws {
        var configuration = RouterConfiguration.forTests
        configuration.maximumIdleConnectionsPerColor = 2
        try await RoutedBackends.run(configuration: configuration) { routed in
            var clients: [TestHTTPClient] = []
            for _ in 0..<3 {
                clients.append(try await TestHTTPClient.connect(port: routed.port))
            }
            defer { clients.forEach { $0.close() } }
            let held = clients.map { client in Task { try await client.send(path: "/hold") } }
            try await waitUntil("blue holds three requests at once") { routed.blue.heldRequests == 3 }
            routed.blue.releaseHeldRequests()
            for request in held {
                #expect(try await request.value.body == "blue")
            }
            try await waitUntil("the third connection back is closed, two are pooled") {
                routed.blue.openConnections == 2
            }
            #expect(routed.blue.acceptedConnections == 3)
        }
    }

    @Test("request bodies are forwarded, and one over the limit gets 413")
    func limitsRequestBodies() async throws {
        var configuration = RouterConfiguration.forTests
        configuration.maximumRequestBodySize = 1024
        try await RoutedBackends.run(configuration: configuration) { routed in
            let client = try await TestHTTPClient.connect(port: routed.port)
            defer { client.close() }
            let fits = String(repeating: "x", count: 1024)
            #expect(try await client.send(.POST, path: "/echo", body: fits).body == "1024")
            #expect(try await client.send(.POST, path: "/echo", body: fits, announcesLength: false).body == "1024")

            // A refusal closes the connection, so each gets one of its own.
            let tooLarge = fits + "x"
            for announcesLength in [true, false] {
                let refusedClient = try await TestHTTPClient.connect(port: routed.port)
                defer { refusedClient.close() }
                let refused = try await refusedClient.send(
                    .POST, path: "/echo", body: tooLarge, announcesLength: announcesLength)
                #expect(refused.status == .payloadTooLarge)
            }

            // Refused from the announced length alone: the client is never invited to send it.
            let announcingClient = try await TestHTTPClient.connect(port: routed.port)
            defer { announcingClient.close() }
            let refusedUnsent = try await announcingClient.announce(.POST, path: "/echo", bodySize: 1025)
            #expect(refusedUnsent.status == .payloadTooLarge)
        }
    }

    @Test("a port already taken is refused with the address in the message")
    func refusesATakenPort() async throws {
        let router = TrafficRouter(configuration: .forTests, numberOfThreads: 1)
        do {
            let port = try await router.addRoute(name: "first")
            let error = await #expect(throws: RouterError.self) {
                try await router.addRoute(name: "second", port: port)
            }
            #expect(error == .addressInUse(host: "127.0.0.1", port: port))
            #expect(error?.description.contains("127.0.0.1:\(port)") == true)
            #expect(router.routes().map(\.name) == ["first"])
        } catch {
            try await router.shutdown()
            throw error
        }
        try await router.shutdown()
    }

    @Test("removing a route frees its port and forgets it")
    func removesARoute() async throws {
        try await RoutedBackends.run { routed in
            #expect(routed.router.routes().map(\.name) == ["web"])
            try await routed.router.removeRoute("web")
            #expect(routed.router.routes().isEmpty)
            await #expect(throws: (any Error).self) {
                try await TestHTTPClient.get("/", port: routed.port)
            }
            #expect(throws: RouterError.unknownRoute("web")) {
                try routed.router.setWeights(route: "web", .allGreen)
            }
        }
    }
    @Test("pipelined requests are answered in order, each by its own upstream request")
    func answersPipelinedRequestsInOrder() async throws {
        try await RoutedBackends.run { routed in
            try routed.router.setWeights(route: "web", TrafficWeights(green: 50))
            func request(_ method: HTTPMethod, _ path: String, body: String? = nil, close: Bool = false)
                -> PipelinedExchange.Request
            {
                var head = HTTPRequestHead(version: .http1_1, method: method, uri: path)
                head.headers.add(name: "host", value: "test.local")
                if let body {
                    head.headers.add(name: "content-length", value: String(body.utf8.count))
                }
                if close {
                    head.headers.add(name: "connection", value: "close")
                }
                return PipelinedExchange.Request(head: head, body: body)
            }
            let requests = [
                request(.POST, "/echo", body: "hello"), request(.GET, "/fail"), request(.GET, "/"),
                request(.GET, "/", close: true),
            ]
            let responses = try await PipelinedExchange.send(requests, port: routed.port)
            #expect(responses.map(\.status) == [.ok, .internalServerError, .ok, .ok])
            #expect(responses.map(\.body) == ["5", "green", "blue", "green"])
            #expect(responses.map(\.color) == ["blue", "green", "blue", "green"])
        }
    }

    @Test("removing a route lets the request in flight finish, then closes its connection")
    func removingARouteDrainsTheRequestInFlight() async throws {
        try await RoutedBackends.run { routed in
            let slowClient = try await TestHTTPClient.connect(port: routed.port)
            let idleClient = try await TestHTTPClient.connect(port: routed.port)
            defer {
                slowClient.close()
                idleClient.close()
            }
            _ = try await idleClient.send(path: "/")
            let slow = Task { try await slowClient.send(path: "/hold") }
            try await waitUntil("blue holds the slow request") { routed.blue.heldRequests == 1 }

            let removal = Task { try await routed.router.removeRoute("web") }
            try await waitUntil("the idle client is closed at once") { !idleClient.isOpen }
            #expect(slowClient.isOpen)
            routed.blue.releaseHeldRequests()
            let finished = try await slow.value
            #expect(finished.status == .ok)
            #expect(finished.body == "blue")
            #expect(finished.headers.first(name: "connection") == "close")
            try await removal.value
            try await waitUntil("the slow client is closed after its response") { !slowClient.isOpen }
        }
    }
}
