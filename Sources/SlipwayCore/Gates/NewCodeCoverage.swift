/// Coverage of new code by the diff-cover method: of the added lines a coverage report knows
/// (the coverable ones), how many ran.
public struct NewCodeCoverage: Sendable, Equatable {
    public var coverable: Int
    public var covered: Int
    /// Diff files that the reports do not mention; their lines are not counted (as diff-cover does).
    public var unmeasuredFiles: [String]

    /// Percent covered; with no coverable added lines, 100.
    public var percent: Double { coverable == 0 ? 100 : Double(covered) * 100 / Double(coverable) }

    init(newCode: NewCode, coverage: CoverageSummary, paths: SourcePath) {
        let known = Set(newCode.files.keys)
        var byPath: [String: FileCoverage] = [:]
        for file in coverage.files {
            guard let path = paths.match(file.path, in: known) else { continue }
            if byPath[path] == nil { byPath[path] = file } else { byPath[path]!.merge(file) }
        }
        coverable = 0
        covered = 0
        unmeasuredFiles = []
        for (path, lines) in newCode.files.sorted(by: { $0.key < $1.key }) {
            guard let file = byPath[path] else {
                unmeasuredFiles.append(path)
                continue
            }
            for line in lines.keys {
                guard let count = file.lines[line] else { continue }
                coverable += 1
                if count > 0 { covered += 1 }
            }
        }
    }
}
