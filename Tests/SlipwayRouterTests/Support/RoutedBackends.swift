import SlipwayRouter

extension RouterConfiguration {
    /// An upstream timeout far beyond the test client's 10 s, so a router that hangs shows up
    /// as a client timeout rather than passing as a 504.
    static let forTests = RouterConfiguration(upstreamTimeout: .seconds(120))
}

/// A router with one route, "web", whose blue and green upstreams are test backends; traffic
/// starts all blue. Everything is stopped when `body` ends, whether it threw or not.
struct RoutedBackends {
    let router: TrafficRouter
    let port: Int
    let blue: TestBackend
    let green: TestBackend

    static func run(
        configuration: RouterConfiguration = .forTests, _ body: (RoutedBackends) async throws -> Void
    ) async throws {
        let router = TrafficRouter(configuration: configuration, numberOfThreads: 2)
        let blue = try await TestBackend.start("blue")
        let green = try await TestBackend.start("green")
        do {
            let port = try await router.addRoute(name: "web")
            try router.setUpstream(route: "web", color: .blue, host: "127.0.0.1", port: blue.port)
            try router.setUpstream(route: "web", color: .green, host: "127.0.0.1", port: green.port)
            try await body(RoutedBackends(router: router, port: port, blue: blue, green: green))
        } catch {
            await stop(router, blue, green)
            throw error
        }
        await stop(router, blue, green)
    }

    private static func stop(_ router: TrafficRouter, _ backends: TestBackend...) async {
        try? await router.shutdown()
        for backend in backends {
            await backend.stop()
        }
    }
}
