/// A file that changed between two commits, and how (the change types paths-filter names).
public struct ChangedFile: Sendable, Equatable, Hashable, Codable {
    public enum Change: String, Sendable, Codable, CaseIterable {
        case added, copied, deleted, modified, renamed, unmerged, unknown

        /// From a `git diff --name-status` letter (`R100` is a rename with its score).
        init(gitStatus: Substring) {
            switch gitStatus.first {
            case "A": self = .added
            case "C": self = .copied
            case "D": self = .deleted
            case "M", "T": self = .modified
            case "R": self = .renamed
            case "U": self = .unmerged
            default: self = .unknown
            }
        }
    }

    /// Relative to the workspace root.
    public var path: String
    public var change: Change

    public init(path: String, change: Change) {
        self.path = path
        self.change = change
    }
}
