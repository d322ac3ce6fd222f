import Foundation

/// One row of `flyway_schema_history`, in Flyway's layout, so a history Flyway wrote is read
/// and one Slipway writes is read by Flyway.
public struct SchemaHistoryEntry: Sendable, Equatable, Codable {
    public var installedRank: Int
    /// Nil for Flyway's repeatable migrations (refused by Slipway, kept when found).
    public var version: String?
    public var description: String
    /// `SQL` for a SQL migration; Flyway also writes `BASELINE`, `SCHEMA` and others.
    public var type: String
    public var script: String
    public var checksum: Int32?
    public var installedBy: String
    public var installedOn: Date
    /// Milliseconds.
    public var executionTime: Int
    public var success: Bool

    public init(
        installedRank: Int, version: String?, description: String, type: String, script: String, checksum: Int32?,
        installedBy: String, installedOn: Date, executionTime: Int, success: Bool
    ) {
        self.installedRank = installedRank
        self.version = version
        self.description = description
        self.type = type
        self.script = script
        self.checksum = checksum
        self.installedBy = installedBy
        self.installedOn = installedOn
        self.executionTime = executionTime
        self.success = success
    }

    public var migrationVersion: MigrationVersion? { version.flatMap(MigrationVersion.init) }

    enum CodingKeys: String, CodingKey {
        case installedRank = "installed_rank", version, description, type, script, checksum
        case installedBy = "installed_by", installedOn = "installed_on", executionTime = "execution_time", success
    }
}
