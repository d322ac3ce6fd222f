import Foundation

/// A component's `database:` block: where its migrations are, where and how long its backups
/// are kept, its recovery objectives and what a restore drill checks.
public struct ComponentDatabaseSettings: Sendable, Equatable {
    /// The migrations folder, relative to the component's folder.
    public var migrations: String
    /// Where the database's backups and WAL archive go instead of `.slipway/backups/<component>`:
    /// absolute, or relative to the workspace.
    public var backupFolder: String?
    public var retention = DatabaseRetention()
    public var objectives = RecoveryObjectives()
    /// What a restore drill runs on the restored database to call it sound (it must succeed);
    /// without one, the drill counts the rows of every user table.
    public var verifyQuery: String?
    /// The projections kept in the database, rebuilt beside their live version by `slipway projection rebuild`.
    public var projections: [ProjectionSettings] = []

    public init(
        migrations: String, backupFolder: String? = nil, retention: DatabaseRetention = DatabaseRetention(),
        objectives: RecoveryObjectives = RecoveryObjectives(), verifyQuery: String? = nil,
        projections: [ProjectionSettings] = []
    ) {
        self.migrations = migrations
        self.backupFolder = backupFolder
        self.retention = retention
        self.objectives = objectives
        self.verifyQuery = verifyQuery
        self.projections = projections
    }

    static func parse(_ node: ConfigNode) throws(SlipwayError) -> ComponentDatabaseSettings {
        let entries = try node.mapping(
            allowing: ["migrations", "backup_folder", "retention", "rpo", "rto", "verify_query", "projections"],
            aliases: ["backupFolder": "backup_folder", "verifyQuery": "verify_query"], context: "database")
        guard let folder = entries["migrations"] else {
            throw node.location.error("database needs migrations: the folder of the component's migration files (e.g. migrations/)")
        }
        var path = try folder.string("migrations")
        while path.hasSuffix("/") && path.count > 1 { path.removeLast() }
        guard !path.isEmpty, !path.hasPrefix("/"), !path.split(separator: "/").contains("..") else {
            throw folder.location.error("migrations must be a folder inside the component, found '\(path)'")
        }
        var settings = ComponentDatabaseSettings(migrations: path)
        if let node = entries["backup_folder"] {
            let folder = try node.string("backup_folder")
            guard !folder.isEmpty, !folder.contains("'") else {
                throw node.location.error("backup_folder must be a folder path without quotes, found '\(folder)'")
            }
            settings.backupFolder = folder
        }
        if let node = entries["retention"] { settings.retention = try DatabaseRetention.parse(node) }
        for (key, objective) in [("rpo", \RecoveryObjectives.point), ("rto", \RecoveryObjectives.time)] {
            guard let node = entries[key] else { continue }
            let seconds = try node.duration("database.\(key)")
            guard seconds > 0 else { throw node.location.error("database.\(key) must be longer than zero") }
            settings.objectives[keyPath: objective] = seconds
        }
        if let node = entries["verify_query"] {
            let query = try node.string("verify_query").trimmingCharacters(in: .whitespacesAndNewlines)
            guard !query.isEmpty else { throw node.location.error("database.verify_query must be an SQL query, found nothing") }
            settings.verifyQuery = query
        }
        if let node = entries["projections"] { settings.projections = try ProjectionSettings.parseList(node) }
        return settings
    }
}
