/// The `canary:` block: how a canary walks its steps and how often it is judged (Flagger's
/// stepWeights, interval, threshold, and a floor of traffic below which nothing is judged).
public struct CanarySettings: Sendable, Equatable {
    /// Traffic weights in order, ending at 100; nil means the seed's `canaryPercentage`, then 25, 50, 100.
    public var steps: [Int]?
    /// Seconds between two judgements within a step.
    public var interval: Double = 60
    /// Failed judgements that roll the canary back.
    public var threshold = 2
    /// The least canary requests in an interval for a judgement; fewer is inconclusive.
    public var minRequests = 50

    public init() {}

    static let keys = ["steps", "interval", "threshold", "min_requests"]

    func overlaid(with node: ConfigNode) throws(SlipwayError) -> CanarySettings {
        let entries = try node.mapping(
            allowing: Self.keys, aliases: ["minRequests": "min_requests", "stepWeights": "steps"], context: "canary")
        var settings = self
        if let value = entries["steps"] { settings.steps = try Self.steps(value) }
        if let value = entries["interval"] {
            settings.interval = try value.duration("canary.interval")
            guard settings.interval > 0 else { throw value.location.error("canary.interval must be longer than 0s") }
        }
        if let value = entries["threshold"] { settings.threshold = try value.int("canary.threshold", in: 1...1000) }
        if let value = entries["min_requests"] {
            settings.minRequests = try value.int("canary.min_requests", in: 1...1_000_000)
        }
        return settings
    }

    /// Steps rise strictly and end at 100, or the canary would never be promoted.
    private static func steps(_ node: ConfigNode) throws(SlipwayError) -> [Int] {
        guard case .sequence(let sequence) = node.node, !sequence.isEmpty else {
            throw node.location.error("canary.steps must be a list of percentages such as [5, 25, 50, 100], found \(node.kindName)")
        }
        var steps: [Int] = []
        for element in sequence {
            let child = ConfigNode(node: element, file: node.file)
            let step = try child.int("each of canary.steps", in: 1...100)
            if let last = steps.last, step <= last {
                throw child.location.error("canary.steps must rise: \(step) comes after \(last)")
            }
            steps.append(step)
        }
        guard steps.last == 100 else {
            throw node.location.error("canary.steps must end at 100, found \(steps.last ?? 0)")
        }
        return steps
    }
}
