/// One thing `migrate lint` found in a migration file, at `file:line:col`.
public struct MigrationLintFinding: Sendable, Equatable, Codable, CustomStringConvertible {
    public var file: String
    public var line: Int
    public var column: Int
    public var rule: MigrationLintRule
    /// What the statement does, e.g. "ALTER TABLE accounts DROP COLUMN email".
    public var statement: String
    /// The reason of the `slipway:allow` comment that excuses it, nil when nothing does.
    public var allowedBecause: String?

    public var isAllowed: Bool { allowedBecause != nil }
    public var location: String { "\(file):\(line):\(column)" }

    public var description: String {
        if let allowedBecause {
            return "\(location): \(rule.rawValue) allowed: \(allowedBecause) (\(statement))"
        }
        return "\(location): \(rule.rawValue): \(statement): \(rule.why)"
    }

    enum CodingKeys: String, CodingKey {
        case file, line, column, rule, statement
        case allowedBecause = "allowed_because"
    }
}
