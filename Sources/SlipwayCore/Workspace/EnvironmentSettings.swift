/// One deployment environment, as the seed's `environments:` block describes it.
public struct EnvironmentSettings: Sendable, Equatable {
    public var name: String
    /// The name of the environment's database, an entry of the workspace's `databases:`.
    public var database: String?
    /// Where `database` was set, for errors about it.
    public var databaseLocation: ConfigLocation?
    public var workersEnv: String?
    /// `basic` or `full`.
    public var monitoring: String?
    /// Whether the SonarQube-style quality gate runs for deploys here.
    public var sonarqube: Bool
    /// How often the agent takes a base backup of each component database here (and prunes
    /// past `retention`); nil leaves backups to the operator.
    public var backupSchedule: BackupSchedule?
    /// How often the agent drills a restore of each component database here; only where
    /// `backupSchedule` is set, weekly unless `drill_schedule: off` or another interval.
    public var drillSchedule: BackupSchedule? = .weekly
    /// Quality gate settings for every component deployed here, over the components' own.
    public var qualityGates = QualityGateSettings.Overrides()
    /// Where the secrets of runs here come from, besides the operator's own variables.
    public var secrets: SecretsSource?

    public init(name: String, sonarqube: Bool = true) {
        self.name = name
        self.sonarqube = sonarqube
    }

    /// The seed's three environments, used when the workspace names none.
    public static let defaults = [
        EnvironmentSettings(name: "development", sonarqube: false),
        EnvironmentSettings(name: "staging"),
        EnvironmentSettings(name: "production"),
    ]

    static func parse(name: String, node: ConfigNode) throws(SlipwayError) -> EnvironmentSettings {
        let entries = try node.mapping(
            allowing: ["database", "workers_env", "monitoring", "sonarqube", "backup_schedule", "drill_schedule", "quality_gates", "secrets"],
            aliases: [
                "workersEnv": "workers_env", "backupSchedule": "backup_schedule", "drillSchedule": "drill_schedule", "sonarQube": "sonarqube",
                "qualityGates": "quality_gates",
            ],
            context: "environment '\(name)'")
        var settings = EnvironmentSettings(name: name, sonarqube: name != "development")
        settings.database = try entries["database"]?.string("database")
        settings.databaseLocation = entries["database"]?.location
        settings.workersEnv = try entries["workers_env"]?.string("workers_env")
        if let node = entries["monitoring"] {
            let value = try node.string("monitoring")
            guard ["basic", "full", "none"].contains(value) else {
                throw node.location.error("monitoring must be basic, full or none, found '\(value)'")
            }
            settings.monitoring = value
        }
        if let node = entries["sonarqube"] {
            if let flag = node.node.bool {
                settings.sonarqube = flag
            } else {
                let value = try node.string("sonarqube")
                guard value == "enabled" || value == "disabled" else {
                    throw node.location.error("sonarqube must be enabled or disabled, found '\(value)'")
                }
                settings.sonarqube = value == "enabled"
            }
        }
        if let node = entries["backup_schedule"] { settings.backupSchedule = try BackupSchedule.parse(node, "backup_schedule") }
        if let node = entries["drill_schedule"] {
            settings.drillSchedule = try BackupSchedule.parse(node, "drill_schedule")
            guard settings.backupSchedule != nil else {
                throw node.location.error("drill_schedule needs a backup_schedule in environment '\(name)': the agent drills only the backups it schedules")
            }
        }
        if let node = entries["quality_gates"] { settings.qualityGates = try QualityGateSettings.overrides(node) }
        if let node = entries["secrets"] { settings.secrets = try SecretsSource.parse(node, environment: name) }
        return settings
    }
}
