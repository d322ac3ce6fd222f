/// The `aws:` block of a component deployed to `aws-ecs` or `aws-lambda`: where its services,
/// target groups, listener or function are. Credentials are never here: the `aws` CLI reads them
/// from the standard places (`AWS_ACCESS_KEY_ID`, `AWS_PROFILE`, ...).
public struct AWSSettings: Sendable, Equatable {
    /// A pair of names, one per colour (`{blue: ..., green: ...}`).
    public struct ColorPair: Sendable, Equatable {
        public var blue: String
        public var green: String

        public init(blue: String, green: String) {
            self.blue = blue
            self.green = green
        }

        public subscript(color: SlotColor) -> String { color == .blue ? blue : green }
    }

    /// Nil: the `aws` CLI's own (`AWS_REGION`, the profile's).
    public var region: String?
    public var cluster: String?
    public var services: ColorPair?
    public var targetGroups: ColorPair?
    public var listener: String?
    /// The image repository; a release's image is `<image>:<version>`.
    public var image: String?
    /// The Lambda function.
    public var function: String?
    /// The Lambda alias that takes the traffic.
    public var alias = "live"
    /// The Lambda deployment package, relative to the component's folder (its `build` goal makes it).
    public var package = "function.zip"
    /// Where the block was written, so a missing key is named at its place.
    public var location: ConfigLocation?

    public init() {}

    static let keys = ["region", "cluster", "services", "target_groups", "listener", "image", "function", "alias", "package"]

    /// These settings with the keys `node` gives on top (an environment's own `aws:` block
    /// over the component's).
    func overlaid(with node: ConfigNode) throws(SlipwayError) -> AWSSettings {
        let entries = try node.mapping(
            allowing: Self.keys, aliases: ["targetGroups": "target_groups", "functionName": "function"], context: "aws")
        var settings = self
        settings.location = node.location
        settings.region = try entries["region"]?.string("aws.region") ?? region
        settings.cluster = try entries["cluster"]?.string("aws.cluster") ?? cluster
        if let value = entries["services"] { settings.services = try Self.pair(value, "aws.services") }
        if let value = entries["target_groups"] { settings.targetGroups = try Self.pair(value, "aws.target_groups") }
        settings.listener = try entries["listener"]?.string("aws.listener") ?? listener
        settings.image = try entries["image"]?.string("aws.image") ?? image
        settings.function = try entries["function"]?.string("aws.function") ?? function
        settings.alias = try entries["alias"]?.string("aws.alias") ?? alias
        settings.package = try entries["package"]?.string("aws.package") ?? package
        return settings
    }

    private static func pair(_ node: ConfigNode, _ what: String) throws(SlipwayError) -> ColorPair {
        let entries = try node.mapping(allowing: ["blue", "green"], context: what)
        guard let blue = entries["blue"], let green = entries["green"] else {
            throw node.location.error("\(what) needs both blue and green")
        }
        return ColorPair(blue: try blue.string("\(what).blue"), green: try green.string("\(what).green"))
    }
}
