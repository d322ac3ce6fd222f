import Foundation

/// How an ALB listener's default action splits traffic between the blue and green target
/// groups, read from `describe-listeners` and written back with `modify-listener`: the
/// platform's own record of which colour is live.
public struct ListenerWeights: Sendable, Equatable {
    public var blue: Int
    public var green: Int

    public init(blue: Int, green: Int) {
        self.blue = blue
        self.green = green
    }

    /// `percent` to `color`, the rest to the other colour.
    public init(_ percent: Int, to color: SlotColor) {
        self.init(blue: color == .blue ? percent : 100 - percent, green: color == .green ? percent : 100 - percent)
    }

    public subscript(color: SlotColor) -> Int { color == .blue ? blue : green }

    /// The colour with most of the traffic; nil when neither has any or they split evenly.
    public var live: SlotColor? {
        if blue == green { return nil }
        return blue > green ? .blue : .green
    }

    /// Each colour's share in percent, as `blue 0% / green 100%`.
    public var description: String {
        let total = max(1, blue + green)
        return "blue \(blue * 100 / total)% / green \(green * 100 / total)%"
    }

    /// The split of `actions` (a listener's `DefaultActions`) between the two target groups; throws
    /// when it forwards anywhere else, since Slipway must not take over traffic it does not own.
    public init(actions: [ListenerAction], targetGroups: AWSSettings.ColorPair) throws(SlipwayError) {
        guard let forward = actions.first(where: { $0.type == "forward" }) else {
            throw SlipwayError(.ecs(.listenerNotForwarding))
        }
        let groups = forward.forwardConfig?.targetGroups
            ?? forward.targetGroupArn.map { [ListenerAction.WeightedGroup(targetGroupArn: $0, weight: 1)] } ?? []
        var blue = 0
        var green = 0
        for group in groups {
            let weight = group.weight ?? 1
            if group.targetGroupArn == targetGroups.blue {
                blue += weight
            } else if group.targetGroupArn == targetGroups.green {
                green += weight
            } else if weight > 0 {
                throw SlipwayError(.ecs(.listenerForwardsElsewhere(targetGroup: group.targetGroupArn)))
            }
        }
        self.init(blue: blue, green: green)
    }

    /// The `--default-actions` JSON that gives these weights.
    public func actionsJSON(targetGroups: AWSSettings.ColorPair) -> String {
        let action = ListenerAction(type: "forward", targetGroupArn: nil, forwardConfig: .init(targetGroups: [
            .init(targetGroupArn: targetGroups.blue, weight: blue), .init(targetGroupArn: targetGroups.green, weight: green),
        ]))
        let data = (try? JSONEncoder().encode([action])) ?? Data("[]".utf8)
        return String(decoding: data, as: UTF8.self)
    }
}
