/// How one condition came out: the value measured, against which threshold, and why.
public struct GateConditionResult: Sendable, Equatable, Encodable {
    public enum Status: String, Sendable, Encodable {
        case ok = "OK"
        case error = "ERROR"
        /// Not evaluated: the environment or the component turned it off.
        case skipped = "SKIPPED"
    }

    public var condition: GateCondition
    /// Nil when it could not be measured (a missing or unreadable report) or was skipped.
    public var value: Double?
    public var status: Status
    public var why: String

    public init(condition: GateCondition, value: Double?, status: Status, why: String) {
        self.condition = condition
        self.value = value
        self.status = status
        self.why = why
    }

    public var metric: GateCondition.Metric { condition.metric }

    enum CodingKeys: String, CodingKey { case metric, op, threshold, value, status, why }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(condition.metric, forKey: .metric)
        try container.encode(condition.op, forKey: .op)
        try container.encode(condition.threshold, forKey: .threshold)
        try container.encode(value.map { ($0 * 100).rounded() / 100 }, forKey: .value)
        try container.encode(status, forKey: .status)
        try container.encode(why, forKey: .why)
    }
}
