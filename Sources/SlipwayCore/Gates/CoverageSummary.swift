/// Line (and branch) coverage per file, as read from one or more coverage reports.
public struct CoverageSummary: Sendable, Equatable {
    /// Files in the order the reports first name them.
    public private(set) var files: [FileCoverage] = []
    private var index: [String: Int] = [:]

    public init(files: [FileCoverage] = []) {
        for file in files { add(file) }
    }

    /// Adds a file; a path seen before is merged, each line keeping its highest count.
    public mutating func add(_ file: FileCoverage) {
        if let position = index[file.path] {
            files[position].merge(file)
        } else {
            index[file.path] = files.count
            files.append(file)
        }
    }

    public mutating func merge(_ other: CoverageSummary) {
        for file in other.files { add(file) }
    }

    public var lines: LineCounts { files.reduce(LineCounts(found: 0, hit: 0)) { $0 + $1.lineCounts } }

    /// Branch totals, nil when no file records branches.
    public var branches: LineCounts? {
        let recorded = files.compactMap(\.branches)
        return recorded.isEmpty ? nil : recorded.reduce(LineCounts(found: 0, hit: 0), +)
    }
}
