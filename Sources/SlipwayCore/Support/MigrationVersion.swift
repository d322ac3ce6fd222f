/// A migration version as Flyway reads it: dotted whole numbers, `_` written for `.` in file
/// names, compared part by part with missing parts as zero (`1` = `1.0`).
public struct MigrationVersion: Sendable, Hashable, Comparable, CustomStringConvertible, Codable {
    /// As Flyway records it: the file's version with `_` turned into `.`.
    public let text: String
    let parts: [UInt64]

    public init?(_ text: String) {
        let normalized = text.replacingOccurrences(of: "_", with: ".")
        let pieces = normalized.split(separator: ".", omittingEmptySubsequences: false)
        guard !pieces.isEmpty else { return nil }
        var parts: [UInt64] = []
        for piece in pieces {
            guard !piece.isEmpty, piece.utf8.allSatisfy({ (UInt8(ascii: "0")...UInt8(ascii: "9")).contains($0) }),
                  let value = UInt64(piece) else { return nil }
            parts.append(value)
        }
        while parts.count > 1, parts.last == 0 { parts.removeLast() }
        self.text = normalized
        self.parts = parts
    }

    public var description: String { text }

    public static func < (lhs: MigrationVersion, rhs: MigrationVersion) -> Bool {
        lhs.parts.lexicographicallyPrecedes(rhs.parts)
    }

    public static func == (lhs: MigrationVersion, rhs: MigrationVersion) -> Bool { lhs.parts == rhs.parts }
    public func hash(into hasher: inout Hasher) { hasher.combine(parts) }

    public init(from decoder: any Decoder) throws {
        let text = try decoder.singleValueContainer().decode(String.self)
        guard let version = MigrationVersion(text) else {
            throw DecodingError.dataCorrupted(.init(codingPath: decoder.codingPath, debugDescription: "not a version: \(text)"))
        }
        self = version
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.singleValueContainer()
        try container.encode(text)
    }
}
