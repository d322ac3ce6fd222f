/// One of a blue/green component's two slots. Spelled `blue` and `green` in JSON and the store.
public enum SlotColor: String, Codable, Sendable, CaseIterable, CustomStringConvertible {
    case blue
    case green

    /// The other colour: where a deploy goes when this one is live.
    public var other: SlotColor { self == .blue ? .green : .blue }

    /// The colour a deploy goes to when `live` has the traffic (blue when nothing is live yet).
    public static func idle(whenLive live: SlotColor?) -> SlotColor { live?.other ?? .blue }

    /// Parses a colour given by a person, with a one-line error naming the choices.
    public static func parse(_ text: String) throws(SlipwayError) -> SlotColor {
        guard let color = SlotColor(rawValue: text) else {
            throw SlipwayError(.notAColor(text))
        }
        return color
    }

    public var description: String { rawValue }
}
