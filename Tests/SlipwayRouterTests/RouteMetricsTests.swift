import Foundation
import Testing

@testable import SlipwayRouter

@Suite("Route metrics", .timeLimit(.minutes(2)))
struct RouteMetricsTests {
    @Test("requests, 5xx, connection errors and latency are counted per colour")
    func countsPerColor() async throws {
        try await RoutedBackends.run { routed in
            let client = try await TestHTTPClient.connect(port: routed.port)
            defer { client.close() }
            for path in ["/", "/", "/", "/fail", "/fail"] {
                _ = try await client.send(path: path)
            }
            try routed.router.setWeights(route: "web", .allGreen)
            _ = try await client.send(path: "/")
            await routed.green.stop()
            _ = try await TestHTTPClient.get("/", port: routed.port)

            let metrics = try routed.router.metrics(route: "web")
            #expect(metrics.route == "web")
            #expect(metrics.blue.requests == 5)
            #expect(metrics.blue.serverErrors == 2)
            #expect(metrics.blue.connectionErrors == 0)
            #expect(metrics.blue.serverErrorRate == 0.4)
            #expect(metrics.blue.latencySummary.count == 5)
            #expect(metrics.blue.latencySummary.p50 > 0)
            #expect(metrics.blue.latencySummary.p50 <= metrics.blue.latencySummary.p99)
            #expect(metrics.blue.latencySummary.p99 <= metrics.blue.latencySummary.max)
            #expect(metrics.green.requests == 2)
            #expect(metrics.green.serverErrors == 1)
            #expect(metrics.green.connectionErrors == 1)
        }
    }

    @Test("the router's own 502 and 504 count as 5xx")
    func countsTheRoutersOwnErrors() async throws {
        var configuration = RouterConfiguration.forTests
        configuration.upstreamTimeout = .seconds(1)
        try await RoutedBackends.run(configuration: configuration) { routed in
            #expect(try await TestHTTPClient.get("/hang", port: routed.port).status == .gatewayTimeout)
            try routed.router.clearUpstream(route: "web", color: .blue)
            #expect(try await TestHTTPClient.get("/", port: routed.port).status == .badGateway)

            let blue = try routed.router.metrics(route: "web").blue
            #expect(blue.requests == 2)
            #expect(blue.serverErrors == 2)
        }
    }

    @Test("two snapshots diff to the interval between them")
    func diffsSnapshots() async throws {
        try await RoutedBackends.run { routed in
            let client = try await TestHTTPClient.connect(port: routed.port)
            defer { client.close() }
            for _ in 0..<3 {
                _ = try await client.send(path: "/fail")
            }
            let earlier = try routed.router.metrics(route: "web")
            for path in ["/", "/", "/", "/fail"] {
                _ = try await client.send(path: path)
            }
            let interval = try routed.router.metrics(route: "web").since(earlier)

            #expect(interval.blue.requests == 4)
            #expect(interval.blue.serverErrors == 1)
            #expect(interval.blue.serverErrorRate == 0.25)
            #expect(interval.blue.latencySummary.count == 4)
            #expect(interval.green.requests == 0)
            #expect(interval.green.serverErrorRate == nil)
        }
    }

    @Test("a snapshot survives JSON with its histogram intact")
    func roundTripsThroughJSON() async throws {
        try await RoutedBackends.run { routed in
            for path in ["/", "/fail", "/"] {
                _ = try await TestHTTPClient.get(path, port: routed.port)
            }
            let metrics = try routed.router.metrics(route: "web")
            let json = try JSONEncoder().encode(metrics)
            #expect(try JSONDecoder().decode(RouteMetrics.self, from: json) == metrics)
            let text = String(decoding: json, as: UTF8.self)
            #expect(text.contains("\"server_errors\":1"))
            #expect(text.contains("\"p99\""))
        }
    }
}
