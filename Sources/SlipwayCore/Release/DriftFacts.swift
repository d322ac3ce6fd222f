import Foundation

/// What git says about the versions live in a workspace, read at the edge for `DriftReport`.
public struct DriftFacts: Sendable {
    public struct Version: Hashable, Sendable {
        public var component: String
        public var version: String

        public init(component: String, version: String) {
            self.component = component
            self.version = version
        }
    }

    public struct Commit: Equatable, Sendable {
        public var hash: String
        public var date: Date

        public init(hash: String, date: Date) {
            self.hash = hash
            self.date = date
        }
    }

    /// Commits touching a component in one commit and not in another: `behind` lacks `ahead`'s.
    public struct Span: Hashable, Sendable {
        public var component: String
        public var behind: String
        public var ahead: String

        public init(component: String, behind: String, ahead: String) {
            self.component = component
            self.behind = behind
            self.ahead = ahead
        }
    }

    /// The commit each live version was built from; a version missing here is not in git any more.
    public var commits: [Version: Commit] = [:]
    /// (commits `ahead` has that `behind` lacks, commits `behind` has that `ahead` lacks).
    public var spans: [Span: (missing: Int, extra: Int)] = [:]
    /// Per component: the commits touching it on `branch` that no environment runs.
    public var unreleased: [String: [ReleaseDiff.Commit]] = [:]
    /// The default branch the unreleased commits are counted on.
    public var branch: String

    public init(branch: String) {
        self.branch = branch
    }
}
