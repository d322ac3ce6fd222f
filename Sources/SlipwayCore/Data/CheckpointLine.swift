/// A progress line a rebuild prints on its output: `slipway:checkpoint <position> [<total>]`,
/// meaning everything before `position` is written and committed (a resumed rebuild gets it back
/// in `RESUME_FROM`).
public struct CheckpointLine: Sendable, Equatable {
    public var position: Int64
    public var total: Int64?

    public static let prefix = "slipway:checkpoint"

    public init(position: Int64, total: Int64?) {
        self.position = position
        self.total = total
    }

    /// The checkpoint `line` reports; nil for any other line (or a malformed one).
    public init?(_ line: some StringProtocol) {
        let words = String(line).split(whereSeparator: { (character: Character) in character == " " || character == "\t" || character == "\r" })
            .map(String.init)
        guard words.first == Self.prefix, (2...3).contains(words.count),
              let position = Int64(words[1]), position >= 0 else { return nil }
        var total: Int64?
        if words.count == 3 {
            guard let value = Int64(words[2]), value >= 0 else { return nil }
            total = value
        }
        self.init(position: position, total: total)
    }
}
