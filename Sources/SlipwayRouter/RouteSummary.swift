/// What a route is: where it listens, where each colour's upstream is, and how traffic splits.
public struct RouteSummary: Sendable, Equatable, Codable {
    public var name: String
    public var host: String
    public var port: Int
    public var weights: TrafficWeights
    public var blueUpstream: UpstreamAddress?
    public var greenUpstream: UpstreamAddress?
    /// Upstream connections busy with a request, per colour: a colour that lost its traffic has
    /// drained when this reaches zero.
    public var blueInFlight: Int
    public var greenInFlight: Int

    public init(
        name: String, host: String, port: Int, weights: TrafficWeights,
        blueUpstream: UpstreamAddress?, greenUpstream: UpstreamAddress?, blueInFlight: Int = 0, greenInFlight: Int = 0
    ) {
        self.name = name
        self.host = host
        self.port = port
        self.weights = weights
        self.blueUpstream = blueUpstream
        self.greenUpstream = greenUpstream
        self.blueInFlight = blueInFlight
        self.greenInFlight = greenInFlight
    }

    public func inFlight(for color: SlotColor) -> Int {
        switch color {
        case .blue: blueInFlight
        case .green: greenInFlight
        }
    }

    private enum CodingKeys: String, CodingKey {
        case name, host, port
        case greenPercent = "green_percent"
        case blueUpstream = "blue_upstream"
        case greenUpstream = "green_upstream"
        case blueInFlight = "blue_in_flight"
        case greenInFlight = "green_in_flight"
    }

    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        name = try container.decode(String.self, forKey: .name)
        host = try container.decode(String.self, forKey: .host)
        port = try container.decode(Int.self, forKey: .port)
        weights = TrafficWeights(green: try container.decode(Int.self, forKey: .greenPercent))
        blueUpstream = try container.decodeIfPresent(UpstreamAddress.self, forKey: .blueUpstream)
        greenUpstream = try container.decodeIfPresent(UpstreamAddress.self, forKey: .greenUpstream)
        blueInFlight = try container.decodeIfPresent(Int.self, forKey: .blueInFlight) ?? 0
        greenInFlight = try container.decodeIfPresent(Int.self, forKey: .greenInFlight) ?? 0
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(name, forKey: .name)
        try container.encode(host, forKey: .host)
        try container.encode(port, forKey: .port)
        try container.encode(weights.green, forKey: .greenPercent)
        try container.encodeIfPresent(blueUpstream, forKey: .blueUpstream)
        try container.encodeIfPresent(greenUpstream, forKey: .greenUpstream)
        try container.encode(blueInFlight, forKey: .blueInFlight)
        try container.encode(greenInFlight, forKey: .greenInFlight)
    }
}
