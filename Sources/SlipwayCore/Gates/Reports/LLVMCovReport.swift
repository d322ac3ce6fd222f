/// Reads `llvm-cov export` JSON, which `swift test --enable-code-coverage` writes.
///
/// Line counts come from the segments the way llvm-cov itself derives them (its
/// LineCoverageStats), so they agree with the file's own `summary.lines`.
enum LLVMCovReport {
    static func parse(_ root: JSONNode) throws(SlipwayError) -> CoverageSummary {
        let data = try root.required("data").array()
        guard let first = data.first else { throw root.error("'data' is empty") }
        var summary = CoverageSummary()
        for file in try first.required("files").array() {
            let filename = try file.required("filename").string()
            if isDependencyOrTest(filename) { continue }
            let segments = try file.required("segments").array().map { segment throws(SlipwayError) in
                try Segment(segment)
            }
            var branches: LineCounts?
            if let counts = file["summary"]?["branches"], let found = try counts["count"]?.int(), found > 0 {
                branches = LineCounts(found: found, hit: try counts.required("covered").int())
            }
            summary.add(FileCoverage(path: filename, lines: lines(of: segments), branches: branches))
        }
        return summary
    }

    /// Swift packages' checkouts and build products, and test sources, are not the code under test.
    static func isDependencyOrTest(_ path: String) -> Bool {
        ["/.build/", "/Tests/", "/checkouts/", "/DerivedData/"].contains { path.contains($0) }
            || path.hasPrefix(".build/") || path.hasPrefix("Tests/")
    }

    struct Segment {
        var line: Int
        var count: Int
        var hasCount: Bool
        var isRegionEntry: Bool
        var isGap: Bool

        init(_ node: JSONNode) throws(SlipwayError) {
            let fields = try node.array()
            guard fields.count >= 5 else { throw node.error("a segment has at least 5 fields, found \(fields.count)") }
            line = try fields[0].int()
            count = try fields[2].int()
            hasCount = try Self.flag(fields[3])
            isRegionEntry = try Self.flag(fields[4])
            isGap = fields.count > 5 ? try Self.flag(fields[5]) : false
        }

        static func flag(_ node: JSONNode) throws(SlipwayError) -> Bool {
            if let value = node.bool { return value }
            guard let number = node.number, number == 0 || number == 1 else { throw node.error("expected true or false") }
            return number == 1
        }

        var startsRegion: Bool { !isGap && hasCount && isRegionEntry }
    }

    /// Each mapped line and its execution count.
    static func lines(of segments: [Segment]) -> [Int: Int] {
        var lines: [Int: Int] = [:]
        guard let last = segments.last?.line, let firstLine = segments.first?.line else { return lines }
        var index = 0
        var wrapped: Segment?
        for line in firstLine...last {
            let startIndex = index
            while index < segments.count && segments[index].line == line { index += 1 }
            let onLine = segments[startIndex..<index]
            let regionStarts = onLine.filter(\.startsRegion)
            let startsSkipped = onLine.first.map { !$0.hasCount && $0.isRegionEntry } ?? false
            let mapped = !startsSkipped && ((wrapped?.hasCount ?? false) || !regionStarts.isEmpty)
            if mapped {
                var count = wrapped?.count ?? 0
                for segment in regionStarts { count = max(count, segment.count) }
                lines[line] = count
            }
            if let end = onLine.last { wrapped = end }
        }
        return lines
    }
}
