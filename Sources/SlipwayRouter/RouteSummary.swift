/// What a route is: where it listens, where each colour's upstream is, and how traffic splits.
public struct RouteSummary: Sendable, Equatable, Codable {
    public var name: String
    public var host: String
    public var port: Int
    public var weights: TrafficWeights
    public var blueUpstream: UpstreamAddress?
    public var greenUpstream: UpstreamAddress?

    public init(
        name: String, host: String, port: Int, weights: TrafficWeights,
        blueUpstream: UpstreamAddress?, greenUpstream: UpstreamAddress?
    ) {
        self.name = name
        self.host = host
        self.port = port
        self.weights = weights
        self.blueUpstream = blueUpstream
        self.greenUpstream = greenUpstream
    }

    private enum CodingKeys: String, CodingKey {
        case name, host, port
        case greenPercent = "green_percent"
        case blueUpstream = "blue_upstream"
        case greenUpstream = "green_upstream"
    }

    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        name = try container.decode(String.self, forKey: .name)
        host = try container.decode(String.self, forKey: .host)
        port = try container.decode(Int.self, forKey: .port)
        weights = TrafficWeights(green: try container.decode(Int.self, forKey: .greenPercent))
        blueUpstream = try container.decodeIfPresent(UpstreamAddress.self, forKey: .blueUpstream)
        greenUpstream = try container.decodeIfPresent(UpstreamAddress.self, forKey: .greenUpstream)
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(name, forKey: .name)
        try container.encode(host, forKey: .host)
        try container.encode(port, forKey: .port)
        try container.encode(weights.green, forKey: .greenPercent)
        try container.encodeIfPresent(blueUpstream, forKey: .blueUpstream)
        try container.encodeIfPresent(greenUpstream, forKey: .greenUpstream)
    }
}
