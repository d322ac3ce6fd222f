/// A component's `paths`: globs whose change counts as its change. As in paths-filter, a
/// rule may be limited to change types (`added|modified: "src/**"`) and a `!` rule excludes
/// what it matches from every other rule.
public struct PathFilter: Sendable, Equatable {
    public struct Rule: Sendable, Equatable {
        public var glob: PathGlob
        /// Nil for any change.
        public var changes: Set<ChangedFile.Change>?
        public var excludes: Bool

        public init(_ pattern: String, changes: Set<ChangedFile.Change>? = nil) {
            excludes = pattern.hasPrefix("!")
            glob = PathGlob(excludes ? String(pattern.dropFirst()) : pattern)
            self.changes = changes
        }

        func applies(to file: Candidate) -> Bool {
            (changes?.contains(file.change) ?? true) && glob.matches(segments: file.segments)
        }
    }

    public var rules: [Rule]

    public init(_ rules: [Rule]) {
        self.rules = rules
    }

    public init(patterns: [String]) {
        self.init(patterns.map { Rule($0) })
    }

    public var isEmpty: Bool { !rules.contains { !$0.excludes } }

    /// A changed file with its path split once, for matching against many filters.
    public struct Candidate: Sendable {
        public var file: ChangedFile
        var segments: [ArraySlice<UInt8>]
        var change: ChangedFile.Change { file.change }

        public init(_ file: ChangedFile) {
            self.file = file
            segments = PathGlob.segments(of: file.path)
        }
    }

    public func matches(_ file: ChangedFile) -> Bool {
        matches(Candidate(file))
    }

    public func matches(_ file: Candidate) -> Bool {
        var included = false
        for rule in rules where rule.applies(to: file) {
            if rule.excludes { return false }
            included = true
        }
        return included
    }
}
