/// The two release slots a route sends traffic to.
public enum SlotColor: String, Sendable, Hashable, Codable, CaseIterable {
    case blue
    case green
}
