import Foundation

extension Engine {
    /// The event log of the workspace at `root`: the shared PostgreSQL store when one is chosen
    /// (`store:` or `SLIPWAY_STORE_URL`), else nil, for the caller to open the embedded one as it
    /// always has. `notice` hears a follower's lost and regained connections.
    public static func openSharedEventLog(
        workspace root: URL, environment: [String: String] = ProcessInfo.processInfo.environment,
        notice: @escaping @Sendable (String) -> Void = { _ in }
    ) async throws(SlipwayError) -> PostgresEventStore? {
        let workspace = try Workspace.load(at: root)
        guard let url = try workspace.config.storeURL(environment: environment) else { return nil }
        return try await PostgresEventStore.open(url, masker: masker(for: workspace, environment: environment), notice: notice)
    }
}
