/// The coverage of one source file: each coverable line once, with its highest count.
public struct FileCoverage: Sendable, Equatable {
    public var path: String
    /// Execution count per coverable line number.
    public var lines: [Int: Int]
    /// Branch outcomes found and taken, when the report records branches.
    public var branches: LineCounts?

    public init(path: String, lines: [Int: Int] = [:], branches: LineCounts? = nil) {
        self.path = path
        self.lines = lines
        self.branches = branches
    }

    public var lineCounts: LineCounts {
        LineCounts(found: lines.count, hit: lines.values.reduce(0) { $0 + ($1 > 0 ? 1 : 0) })
    }

    /// Folds `other` (the same file seen again) in, keeping each line's highest count.
    mutating func merge(_ other: FileCoverage) {
        lines.merge(other.lines) { max($0, $1) }
        if let extra = other.branches {
            branches = LineCounts(found: (branches?.found ?? 0) + extra.found, hit: (branches?.hit ?? 0) + extra.hit)
        }
    }
}

/// How many were found and how many of those were hit (lines, or branch outcomes).
public struct LineCounts: Sendable, Equatable, Encodable {
    public var found: Int
    public var hit: Int

    public init(found: Int, hit: Int) {
        self.found = found
        self.hit = hit
    }

    /// Percent hit; nil when nothing was found, so an empty report never reads as 0% or 100%.
    public var percent: Double? { found == 0 ? nil : Double(hit) * 100 / Double(found) }

    static func + (left: LineCounts, right: LineCounts) -> LineCounts {
        LineCounts(found: left.found + right.found, hit: left.hit + right.hit)
    }

    enum CodingKeys: String, CodingKey { case found, hit, percent }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(found, forKey: .found)
        try container.encode(hit, forKey: .hit)
        try container.encode(percent.map { ($0 * 100).rounded() / 100 }, forKey: .percent)
    }
}
