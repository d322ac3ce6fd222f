import SlipwayCore

/// A release diff as the watcher read it for one request: the diff, or why git could not say.
struct LoadedDiff: Equatable, Sendable {
    var request: ConsoleFocus.Diff
    var diff: ReleaseDiff?
    var problem: String?

    init(request: ConsoleFocus.Diff, diff: ReleaseDiff? = nil, problem: String? = nil) {
        self.request = request
        self.diff = diff
        self.problem = problem
    }

    /// One line: `3 commits, 5 files, 1 migration`, or the problem.
    var summary: String { diff?.summary ?? "no diff: \(problem ?? "unknown")" }
}
