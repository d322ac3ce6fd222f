import Foundation

extension Engine {
    /// The highest migration version in the migrations folder under `source` (the component's
    /// folder or a worktree of it), nil for a component without `database: {migrations:}`.
    func highestMigration(of component: Component, in source: URL) -> MigrationVersion? {
        guard let settings = component.settings.database else { return nil }
        let catalog = try? MigrationCatalog.load(
            source.appendingPathComponent(settings.migrations), folder: "\(component.path)/\(settings.migrations)")
        return catalog?.versioned.last?.version
    }

    /// Whether rolling `component` in `environment` back to `release` leaves its code a schema it
    /// can run on. The database's schema is read from the store, not the database: the scripts
    /// every successful `migration.applied` event of that environment recorded, which needs no
    /// connection and is what Slipway itself applied. Nil for a component without migrations.
    public func schemaRollback(of component: Component, environment: String, to release: ReleaseTag) throws(SlipwayError) -> SchemaRollback? {
        guard component.settings.database != nil else { return nil }
        let applied = try store.events(kind: .migrationApplied, component: component.name, environment: environment)
            .compactMap(\.details).filter { $0.outcome == "succeeded" }.flatMap { $0.migrations ?? [] }
        guard !applied.isEmpty else { return nil }
        return SchemaRollback.evaluate(
            releaseSchema: release.schema.flatMap(MigrationVersion.init), applied: applied, catalog: try migrationCatalog(of: component))
    }
}
