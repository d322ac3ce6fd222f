/// One of a listener's default actions, as `describe-listeners` answers and `modify-listener` takes it.
public struct ListenerAction: Codable, Sendable, Equatable {
    public struct WeightedGroup: Codable, Sendable, Equatable {
        public var targetGroupArn: String
        public var weight: Int?

        enum CodingKeys: String, CodingKey {
            case targetGroupArn = "TargetGroupArn", weight = "Weight"
        }
    }

    public struct ForwardConfig: Codable, Sendable, Equatable {
        public var targetGroups: [WeightedGroup]

        enum CodingKeys: String, CodingKey {
            case targetGroups = "TargetGroups"
        }
    }

    public var type: String
    public var targetGroupArn: String?
    public var forwardConfig: ForwardConfig?

    enum CodingKeys: String, CodingKey {
        case type = "Type", targetGroupArn = "TargetGroupArn", forwardConfig = "ForwardConfig"
    }
}
