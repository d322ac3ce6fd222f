/// A component's migrations and the database of one environment they apply to.
public struct MigrationTarget: Sendable {
    public var component: Component
    public var environment: String
    public var catalog: MigrationCatalog
    /// The database's name in the workspace's `databases:`.
    public var databaseName: String
    public var url: DatabaseURL
}
