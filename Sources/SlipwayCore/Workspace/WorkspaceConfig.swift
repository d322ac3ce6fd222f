import Foundation

/// The workspace's own `slipway.yml`: environments, branch promotion, tags, secrets and the
/// defaults every component starts from.
public struct WorkspaceConfig: Sendable {
    public enum TagMode: String, Sendable {
        /// Release tags live in the event store only.
        case store
        /// Release tags are also written as git tags.
        case git
    }

    /// Whether production takes only versions a recorded pipeline run tested and gated.
    public enum ProductionGates: String, Sendable {
        case off
        case required
    }

    public var environments = EnvironmentSettings.defaults
    /// Which environment a branch deploys to; other branches deploy nowhere.
    public var branches = ["develop": "staging", "main": "production"]
    public var readOnly = false
    public var tags = TagMode.store
    /// Names of environment variables whose values are masked everywhere.
    public var secrets: [String] = []
    /// Paths whose change counts as a change of every component.
    public var globalPaths = ["slipway.yml", "deploy/**"]
    /// Components deployed at once by `deploy-all`.
    public var parallelism = 4
    /// Defaults for every component.
    public var componentDefaults = ComponentSettings()
    public var alerts = AlertSettings()
    /// Where each database's connection string comes from, by the name environments give it.
    public var databases: [String: DatabaseSettings] = [:]
    /// Backups of Slipway's own store.
    public var backups = BackupSettings()
    /// Off by default, so a workspace without a pipeline still deploys; the demo requires them.
    public var productionGates = ProductionGates.off
    /// Who may do what; nil (no `roles:` block) lets everyone do everything.
    public var roles: RoleSettings?
    /// The team's shared store (`store: postgres://...`); nil keeps the embedded one.
    public var store: StoreURL?

    public init() {}

    /// The shared store chosen: `SLIPWAY_STORE_URL` when set, else `store:`; nil for the embedded one.
    public func storeURL(environment: [String: String]) throws(SlipwayError) -> StoreURL? {
        if let text = environment[StoreURL.variable], !text.isEmpty { return try StoreURL(text, name: StoreURL.variable) }
        return store
    }

    /// Every variable whose value is masked: `secrets:` and each database's `url_env`.
    public var secretNames: [String] {
        let neon = databases.values.contains { $0.provider != .postgresql } ? [DatabaseProvider.neonKeyVariable] : []
        return secrets + databases.values.compactMap(\.urlEnv).sorted() + neon
    }

    public var environmentNames: [String] { environments.map(\.name) }

    public func environment(named name: String) throws(SlipwayError) -> EnvironmentSettings {
        guard let settings = environments.first(where: { $0.name == name }) else {
            throw SlipwayError(.unknownEnvironment(name, known: environmentNames))
        }
        return settings
    }

    static let keys = [
        "environments", "branches", "read_only", "tags", "secrets", "global_paths",
        "parallelism", "components", "alerts", "databases", "backups", "production_gates", "roles", "store",
    ] + ComponentSettings.sharedKeys

    /// Reads `slipway.yml` text; `file` is the name used in error messages.
    public static func parse(_ text: String, file: String) throws(SlipwayError) -> WorkspaceConfig {
        try read(text, file: file).config
    }

    /// The configuration and its `components:` overrides by component name, which apply
    /// before each component's own file.
    static func read(_ text: String, file: String) throws(SlipwayError) -> (config: WorkspaceConfig, overrides: [String: (key: ConfigLocation, node: ConfigNode)]) {
        var config = WorkspaceConfig()
        var overrides: [String: (key: ConfigLocation, node: ConfigNode)] = [:]
        guard let root = try ConfigNode.parse(text, file: file) else { return (config, overrides) }
        let entries = try root.mapping(
            allowing: keys,
            aliases: ComponentSettings.sharedAliases.merging(["readOnly": "read_only", "globalPaths": "global_paths"]) { a, _ in a },
            context: "slipway.yml")

        if let node = entries["databases"] {
            for (name, value, keyNode) in try node.entries(context: "databases") {
                guard Workspace.isValidName(name) else {
                    throw keyNode.location.error("database name '\(name)' must match [a-z0-9][a-z0-9._-]*")
                }
                config.databases[name] = try DatabaseSettings.parse(name: name, node: value)
            }
        }
        if let node = entries["environments"] {
            var environments: [EnvironmentSettings] = []
            for (name, value, keyNode) in try node.entries(context: "environments") {
                guard Workspace.isValidName(name) else {
                    throw keyNode.location.error("environment name '\(name)' must match [a-z0-9][a-z0-9._-]*")
                }
                let environment = try EnvironmentSettings.parse(name: name, node: value)
                // With a databases: block, an environment's database must be one of it; without
                // one, the name stays informational as before.
                if !config.databases.isEmpty, let database = environment.database, config.databases[database] == nil {
                    let location = environment.databaseLocation ?? value.location
                    throw location.error(
                        "unknown database '\(database)' (known: \(config.databases.keys.sorted().joined(separator: ", ")))")
                }
                environments.append(environment)
            }
            if !environments.isEmpty { config.environments = environments }
        }
        if let node = entries["branches"] {
            var branches: [String: String] = [:]
            for (branch, value, _) in try node.entries(context: "branches") {
                let environment = try value.string("branches.\(branch)")
                guard config.environmentNames.contains(environment) else {
                    throw value.location.error(
                        "unknown environment '\(environment)' (known: \(config.environmentNames.joined(separator: ", ")))")
                }
                branches[branch] = environment
            }
            config.branches = branches
        } else {
            config.branches = config.branches.filter { config.environmentNames.contains($0.value) }
        }
        if let node = entries["read_only"] { config.readOnly = try node.bool("read_only") }
        if let node = entries["tags"] {
            let text = try node.string("tags")
            guard let mode = TagMode(rawValue: text) else {
                throw node.location.error("tags must be store or git, found '\(text)'")
            }
            config.tags = mode
        }
        if let node = entries["secrets"] { config.secrets = try node.stringList("secrets") }
        if let node = entries["global_paths"] { config.globalPaths = try node.stringList("global_paths") }
        if let node = entries["parallelism"] { config.parallelism = try node.int("parallelism", in: 1...64) }
        if let node = entries["alerts"] { config.alerts = try config.alerts.overlaid(with: node, environments: config.environmentNames) }
        if let node = entries["backups"] { config.backups = try config.backups.overlaid(with: node) }
        if let node = entries["production_gates"] {
            let text = try node.string("production_gates")
            guard let gates = ProductionGates(rawValue: text) else {
                throw node.location.error("production_gates must be required or off, found '\(text)'")
            }
            config.productionGates = gates
        }
        if let node = entries["store"] {
            let text = try node.string("store")
            do {
                config.store = try StoreURL(text, name: "store")
            } catch {
                throw node.location.error(error.message)
            }
        }
        if let node = entries["roles"] { config.roles = try RoleSettings.parse(node, environments: config.environmentNames) }
        config.componentDefaults = try ComponentSettings().overlaid(with: entries)
        if let node = entries["components"] {
            for (name, value, keyNode) in try node.entries(context: "components") {
                overrides[name] = (keyNode.location, value)
            }
        }
        return (config, overrides)
    }
}
