/// How traffic splits between the blue and green colours: the percent that goes to green.
public struct TrafficWeights: Sendable, Equatable, Codable {
    /// 0...100; the rest goes to blue.
    public var green: Int

    public init(green: Int) {
        self.green = min(100, max(0, green))
    }

    public var blue: Int { 100 - green }

    /// The percent of requests that go to `color`.
    public func percent(for color: SlotColor) -> Int {
        switch color {
        case .blue: blue
        case .green: green
        }
    }

    public static let allBlue = TrafficWeights(green: 0)
    public static let allGreen = TrafficWeights(green: 100)
}
