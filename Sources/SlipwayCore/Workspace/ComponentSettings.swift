/// What a component's own `slipway.yml` (or the workspace's `components.<name>`) may say.
public struct ComponentSettings: Sendable, Equatable {
    /// Overrides the technology read from the Makefile or inferred from files.
    public var technology: String?
    /// Overrides the target platform read from the Makefile or inferred from files.
    public var target: String?
    /// Extra paths (paths-filter globs, with `!` exclusions and change-type keys) whose change
    /// counts as a change of this component.
    public var paths = PathFilter([])
    /// Components or paths this one depends on.
    public var dependsOn: [String] = []
    /// Where `depends_on` was set, so a dependency cycle can be named at its place.
    public var dependsOnLocation: ConfigLocation?
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
    /// Quality gate settings per environment, over the environment's and the component's own.
    public var environmentQualityGates: [String: QualityGateSettings.Overrides] = [:]
    /// Seconds after a switch during which failing health checks switch back by themselves.
    public var postPromotion: Double = 60
    /// Commands run against the idle colour after its health gate and before any traffic moves
    /// (Argo Rollouts' pre-promotion analysis); each gets the slot's address in `SLIPWAY_URL`.
    public var prePromotion: [String] = []
    /// Whether a healthy release takes traffic by itself; when false it waits for `slipway switch`.
    public var autoPromote = true
    /// Seconds the colour that lost its traffic keeps running, for an instant switch-back.
    public var keepWarm: Double = 600
    /// The address the component's router listens on (loopback unless said otherwise).
    public var bindAddress = "127.0.0.1"
    /// Built releases kept per component; the live and last good ones are never removed.
    public var keepReleases = 5
    public var slo = SLOSettings()
    /// The component's database migrations, when it has a database.
    public var database: ComponentDatabaseSettings?
    /// Where the `aws-ecs` and `aws-lambda` targets find the component's resources.
    public var aws: AWSSettings?
    /// Per environment, the `aws:` block over the component's (each environment its own services,
    /// listener or function).
    public var environmentAWS: [String: AWSSettings] = [:]

    /// The AWS resources of `environment`.
    public func aws(in environment: String) -> AWSSettings? { environmentAWS[environment] ?? aws }
    /// Where the `cloudflare-workers` target and a DNS cutover find the component's resources.
    public var cloudflare: CloudflareSettings?
    /// Per environment, the `cloudflare:` block over the component's.
    public var environmentCloudflare: [String: CloudflareSettings] = [:]
    /// `switch: dns`: traffic moves between the colours' origins by the Cloudflare DNS record.
    public var switchesByDNS = false
    public var switchLocation: ConfigLocation?

    /// The Cloudflare resources of `environment`.
    public func cloudflare(in environment: String) -> CloudflareSettings? { environmentCloudflare[environment] ?? cloudflare }
    /// Per environment, the hosts a `local` component's slots run on when more than this one.
    public var placements: [String: HostPlacement] = [:]

    public init() {}

    /// Keys shared by the workspace file (as defaults) and component files.
    static let sharedKeys = [
        "health", "post_promotion", "pre_promotion", "auto_promote", "keep_warm", "keep_releases",
        "bind_address", "slo",
    ] + DeploymentSettings.keys
    static let sharedAliases = DeploymentSettings.aliases.merging([
        "postPromotion": "post_promotion", "prePromotion": "pre_promotion", "autoPromote": "auto_promote",
        "keepWarm": "keep_warm", "keepReleases": "keep_releases", "bindAddress": "bind_address",
    ]) { a, _ in a }
    static let keys = [
        "technology", "target", "paths", "depends_on", "run", "port", "secrets", "environments", "database", "aws",
        "cloudflare", "switch",
    ] + sharedKeys

    static func parse(
        _ node: ConfigNode, base: ComponentSettings, environments: [String]
    ) throws(SlipwayError) -> ComponentSettings {
        let entries = try node.mapping(
            allowing: keys,
            aliases: sharedAliases.merging(["dependsOn": "depends_on"]) { a, _ in a },
            context: "component settings")
        var settings = try base.overlaid(with: entries)
        settings.technology = try entries["technology"]?.string("technology") ?? settings.technology
        settings.target = try entries["target"]?.string("target") ?? settings.target
        if let value = entries["paths"] { settings.paths = try value.pathFilter("paths") }
        if let value = entries["depends_on"] {
            settings.dependsOn = try value.stringList("depends_on")
            settings.dependsOnLocation = value.location
        }
        settings.run = try entries["run"]?.command("run") ?? settings.run
        if let value = entries["port"] { settings.port = try value.int("port", in: 1...65535) }
        if let value = entries["secrets"] { settings.secrets = try value.stringList("secrets") }
        if let value = entries["database"] { settings.database = try ComponentDatabaseSettings.parse(value) }
        if let value = entries["aws"] { settings.aws = try AWSSettings().overlaid(with: value) }
        if let value = entries["cloudflare"] { settings.cloudflare = try CloudflareSettings().overlaid(with: value) }
        if let value = entries["switch"] {
            let method = try value.string("switch")
            guard method == "dns" else { throw value.location.error("switch must be dns, found '\(method)'") }
            settings.switchesByDNS = true
            settings.switchLocation = value.location
        }
        if let value = entries["environments"] {
            for (name, environment, keyNode) in try value.entries(context: "environments") {
                guard environments.contains(name) else {
                    throw keyNode.location.error(
                        "unknown environment '\(name)' (known: \(environments.joined(separator: ", ")))")
                }
                let fields = try environment.mapping(
                    allowing: ["url", "quality_gates", "aws", "cloudflare"] + HostPlacement.keys,
                    aliases: HostPlacement.aliases.merging(["qualityGates": "quality_gates"]) { a, _ in a },
                    context: "environment '\(name)'")
                if let url = fields["url"] { settings.urls[name] = try url.string("url") }
                if let aws = fields["aws"] { settings.environmentAWS[name] = try (settings.aws ?? AWSSettings()).overlaid(with: aws) }
                if let block = fields["cloudflare"] {
                    settings.environmentCloudflare[name] = try (settings.cloudflare ?? CloudflareSettings()).overlaid(with: block)
                }
                if let gates = fields["quality_gates"] {
                    settings.environmentQualityGates[name] = try QualityGateSettings.overrides(gates)
                }
                if let placement = try HostPlacement.parse(fields) { settings.placements[name] = placement }
            }
        }
        return settings
    }

    /// These settings with the shared keys (health and deployment) of `entries` applied.
    func overlaid(with entries: [String: ConfigNode]) throws(SlipwayError) -> ComponentSettings {
        var settings = self
        if let node = entries["health"] { settings.health = try settings.health.overlaid(with: node) }
        if let node = entries["post_promotion"] { settings.postPromotion = try node.duration("post_promotion") }
        if let node = entries["pre_promotion"] { settings.prePromotion = try node.commandList("pre_promotion") }
        if let node = entries["auto_promote"] { settings.autoPromote = try node.bool("auto_promote") }
        if let node = entries["keep_warm"] { settings.keepWarm = try node.duration("keep_warm") }
        if let node = entries["bind_address"] {
            let address = try node.string("bind_address")
            guard IPAddressText.isValid(address) else {
                throw node.location.error("bind_address must be an IPv4 address, found '\(address)'")
            }
            settings.bindAddress = address
        }
        if let node = entries["keep_releases"] { settings.keepReleases = try node.int("keep_releases", in: 1...1000) }
        if let node = entries["slo"] { settings.slo = try settings.slo.overlaid(with: node) }
        settings.deployment = try settings.deployment.overlaid(with: entries)
        return settings
    }
}
