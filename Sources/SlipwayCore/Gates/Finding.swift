/// One result of a scan: a SAST finding or a vulnerable dependency.
public struct Finding: Sendable, Equatable, Encodable {
    /// SARIF's levels; dependency audits map their severity onto them.
    public enum Level: String, Sendable, Encodable, Comparable {
        case none, note, warning, error

        private var rank: Int { [.none: 0, .note: 1, .warning: 2, .error: 3][self] ?? 0 }
        public static func < (left: Level, right: Level) -> Bool { left.rank < right.rank }
    }

    public enum Severity: String, Sendable, Encodable, Comparable, CaseIterable {
        case info, low, medium, high, critical

        /// SonarQube's rating for an open issue of this severity: 1 (A) to 5 (E).
        public var rating: Int { (Severity.allCases.firstIndex(of: self) ?? 0) + 1 }
        public static func < (left: Severity, right: Severity) -> Bool { left.rating < right.rating }

        /// SARIF `security-severity` (a CVSS-like 0-10 score), banded as GitHub code scanning does.
        public init(score: Double) {
            switch score {
            case 9...: self = .critical
            case 7..<9: self = .high
            case 4..<7: self = .medium
            case 0.1..<4: self = .low
            default: self = .info
            }
        }

        /// The words audit tools use: npm's `moderate`, OSV's upper case, and so on.
        public init?(word: String) {
            switch word.lowercased() {
            case "critical": self = .critical
            case "high": self = .high
            case "moderate", "medium": self = .medium
            case "low": self = .low
            case "info", "none": self = .info
            default: return nil
            }
        }
    }

    /// Which rating a finding weighs on.
    public enum Category: String, Sendable {
        case security, reliability, maintainability
    }

    public var rule: String
    public var level: Level
    public var severity: Severity
    /// A source path for SAST findings; the package (or lockfile) for dependency audits.
    public var path: String
    public var line: Int?
    public var suppressed: Bool
    public var category: Category

    public init(
        rule: String, level: Level, severity: Severity, path: String, line: Int?, suppressed: Bool = false,
        category: Category = .security
    ) {
        self.rule = rule
        self.level = level
        self.severity = severity
        self.path = path
        self.line = line
        self.suppressed = suppressed
        self.category = category
    }

    /// A dependency vulnerability: its level follows its severity.
    static func vulnerability(rule: String, severity: Severity, path: String) -> Finding {
        let level: Level = severity >= .high ? .error : severity == .medium ? .warning : .note
        return Finding(rule: rule, level: level, severity: severity, path: path, line: nil)
    }

    /// Whether it stops a deploy: open, and an error or of high severity or worse.
    public var isBlocking: Bool { !suppressed && (level == .error || severity >= .high) }

    enum CodingKeys: String, CodingKey { case rule, level, severity, path, line, suppressed }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(rule, forKey: .rule)
        try container.encode(level, forKey: .level)
        try container.encode(severity, forKey: .severity)
        try container.encode(path, forKey: .path)
        try container.encode(line, forKey: .line)
        try container.encode(suppressed, forKey: .suppressed)
    }
}
