/// What a component's own `slipway.yml` (or the workspace's `components.<name>`) may say.
public struct ComponentSettings: Sendable, Equatable {
    /// Overrides the technology read from the Makefile or inferred from files.
    public var technology: String?
    /// Overrides the target platform read from the Makefile or inferred from files.
    public var target: String?
    /// Extra paths (paths-filter globs) whose change counts as a change of this component.
    public var paths: [String] = []
    /// Components or paths this one depends on.
    public var dependsOn: [String] = []
    /// The command that runs a release of a `local` component.
    public var run: String?
    /// The stable port of the component's router.
    public var port: Int?
    public var health = HealthSettings()
    public var deployment = DeploymentSettings()
    /// Names of environment variables whose values are masked, in addition to the workspace's.
    public var secrets: [String] = []
    /// Public URL per environment, where the target has one.
    public var urls: [String: String] = [:]
    /// Seconds after a switch during which failing health checks switch back by themselves.
    public var postPromotion: Double = 60
    public var slo = SLOSettings()

    public init() {}

    /// Keys shared by the workspace file (as defaults) and component files.
    static let sharedKeys = ["health", "post_promotion", "slo"] + DeploymentSettings.keys
    static let keys = [
        "technology", "target", "paths", "depends_on", "run", "port", "secrets", "environments",
    ] + sharedKeys

    static func parse(
        _ node: ConfigNode, base: ComponentSettings, environments: [String]
    ) throws(SlipwayError) -> ComponentSettings {
        let entries = try node.mapping(
            allowing: keys,
            aliases: DeploymentSettings.aliases.merging(["dependsOn": "depends_on", "postPromotion": "post_promotion"]) { a, _ in a },
            context: "component settings")
        var settings = try base.overlaid(with: entries)
        settings.technology = try entries["technology"]?.string("technology") ?? settings.technology
        settings.target = try entries["target"]?.string("target") ?? settings.target
        if let value = entries["paths"] { settings.paths = try value.stringList("paths") }
        if let value = entries["depends_on"] { settings.dependsOn = try value.stringList("depends_on") }
        settings.run = try entries["run"]?.string("run") ?? settings.run
        if let value = entries["port"] { settings.port = try value.int("port", in: 1...65535) }
        if let value = entries["secrets"] { settings.secrets = try value.stringList("secrets") }
        if let value = entries["environments"] {
            for (name, environment, keyNode) in try value.entries(context: "environments") {
                guard environments.contains(name) else {
                    throw keyNode.location.error(
                        "unknown environment '\(name)' (known: \(environments.joined(separator: ", ")))")
                }
                let fields = try environment.mapping(allowing: ["url"], context: "environment '\(name)'")
                if let url = fields["url"] { settings.urls[name] = try url.string("url") }
            }
        }
        return settings
    }

    /// These settings with the shared keys (health and deployment) of `entries` applied.
    func overlaid(with entries: [String: ConfigNode]) throws(SlipwayError) -> ComponentSettings {
        var settings = self
        if let node = entries["health"] { settings.health = try settings.health.overlaid(with: node) }
        if let node = entries["post_promotion"] { settings.postPromotion = try node.duration("post_promotion") }
        if let node = entries["slo"] { settings.slo = try settings.slo.overlaid(with: node) }
        settings.deployment = try settings.deployment.overlaid(with: entries)
        return settings
    }
}
