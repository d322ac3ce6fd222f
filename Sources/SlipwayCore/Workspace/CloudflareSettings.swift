/// The `cloudflare:` block of a component: the Worker (`cloudflare-workers`), the Pages project
/// (`cloudflare-pages`) and the DNS record a
/// `switch: dns` cutover moves. Credentials are never here: `CLOUDFLARE_API_TOKEN`,
/// `CLOUDFLARE_ACCOUNT_ID` and `CLOUDFLARE_API_BASE_URL` are read as wrangler reads them.
public struct CloudflareSettings: Sendable, Equatable {
    /// Nil: `CLOUDFLARE_ACCOUNT_ID`.
    public var accountID: String?
    /// The Worker's name; in a Workers environment (`workers_env`) wrangler's `<script>-<env>`.
    public var script: String?
    /// The module uploaded as the Worker's main module, relative to the component's folder.
    public var main = "index.js"
    public var compatibilityDate: String?
    /// The Pages project (`cloudflare-pages`); its production deployment is the environment's live release.
    public var project: String?
    /// The folder uploaded as a Pages deployment, relative to the component (its build goal makes it).
    public var outputDir = "dist"
    /// The branch a Pages release is uploaded to first, as a preview, before it goes to production.
    public var previewBranch = "preview"
    /// The zone (its name or id) and the record's name, for a DNS cutover.
    public var zone: String?
    public var record: String?
    /// The record's content per colour (an address or a host name).
    public var blue: String?
    public var green: String?
    /// Seconds; 1 is Cloudflare's "automatic".
    public var ttl = 60
    /// Seconds one API call may take before it counts as timed out and is retried.
    public var requestTimeout: Double = 30
    /// Seconds within which failed calls (429, 5xx, timeouts) are retried before the run fails.
    public var retryDeadline: Double = 120
    public var location: ConfigLocation?

    public init() {}

    static let keys = [
        "account_id", "script", "main", "compatibility_date", "project", "output_dir", "preview_branch", "zone", "record", "blue", "green", "ttl",
        "request_timeout", "retry_deadline",
    ]

    /// The content the record has when `color` takes the traffic.
    public func content(of color: SlotColor) -> String? { color == .blue ? blue : green }

    /// These settings with the keys `node` gives on top (an environment's block over the component's).
    func overlaid(with node: ConfigNode) throws(SlipwayError) -> CloudflareSettings {
        let entries = try node.mapping(
            allowing: Self.keys,
            aliases: ["accountId": "account_id", "compatibilityDate": "compatibility_date", "requestTimeout": "request_timeout",
                      "retryDeadline": "retry_deadline", "outputDir": "output_dir", "previewBranch": "preview_branch"],
            context: "cloudflare")
        var settings = self
        settings.location = node.location
        settings.accountID = try entries["account_id"]?.string("cloudflare.account_id") ?? accountID
        settings.script = try entries["script"]?.string("cloudflare.script") ?? script
        settings.main = try entries["main"]?.string("cloudflare.main") ?? main
        settings.compatibilityDate = try entries["compatibility_date"]?.string("cloudflare.compatibility_date") ?? compatibilityDate
        settings.project = try entries["project"]?.string("cloudflare.project") ?? project
        settings.outputDir = try entries["output_dir"]?.string("cloudflare.output_dir") ?? outputDir
        settings.previewBranch = try entries["preview_branch"]?.string("cloudflare.preview_branch") ?? previewBranch
        settings.zone = try entries["zone"]?.string("cloudflare.zone") ?? zone
        settings.record = try entries["record"]?.string("cloudflare.record") ?? record
        settings.blue = try entries["blue"]?.string("cloudflare.blue") ?? blue
        settings.green = try entries["green"]?.string("cloudflare.green") ?? green
        if let value = entries["ttl"] { settings.ttl = try value.int("cloudflare.ttl", in: 1...86400) }
        if let value = entries["request_timeout"] { settings.requestTimeout = try value.duration("cloudflare.request_timeout") }
        if let value = entries["retry_deadline"] { settings.retryDeadline = try value.duration("cloudflare.retry_deadline") }
        return settings
    }
}
