/// The body of a router process (`slipway router --control PATH`): a ``TrafficRouter`` driven
/// through a ``RouterControlServer``. Running apart from the agent, it keeps serving traffic when
/// the agent dies.
public enum RouterProcess {
    /// Returns after a `shutdown` request, once every route has drained and closed.
    public static func run(controlSocket: String, configuration: RouterConfiguration = RouterConfiguration()) async throws {
        let router = TrafficRouter(configuration: configuration)
        do {
            let server = try await RouterControlServer.bind(socketPath: controlSocket, router: router)
            try await server.run()
        } catch {
            try? await router.shutdown()
            throw error
        }
        // Already done by a shutdown request; needed when the server stopped any other way.
        try await router.shutdown()
    }
}
