extension SlipwayError.Reason {
    /// What git lacks for a command: a repository, a commit, a common ancestor.
    public enum GitProblem: Sendable, Equatable {
        /// The workspace at `root` is not in a git repository; `need` says what needed one.
        case notARepository(root: String, need: String)
        /// `root` has no repository with a commit, which the quality gate measures new code from.
        case noCommits(root: String)
        /// The component at `path` has no commit yet; `versionHint` adds how to deploy it anyway.
        case noCommitYet(path: String, versionHint: Bool)
        /// `reference` (what it is: `head`, `base`) is not a commit in `root`.
        case notACommit(what: String, reference: String, root: String)
        /// The quality gate's `base` is not a commit in `root`.
        case unknownBase(String, root: String)
        case noCommonAncestor(base: String, head: String)
        /// No branch to take the environment from.
        case noBranchForEnvironment
        /// `branch` deploys to no environment; `known` are those that do.
        case branchDeploysNowhere(String, known: [String])
        /// No base for the changes to `environment`: no successful pipeline run and no branch deploying to it.
        case noBase(environment: String, branches: [String])

        var category: SlipwayError.Category {
            if case .noCommonAncestor = self { return .failure }
            return .usage
        }

        var line: String {
            switch self {
            case .notARepository(let root, let need):
                "\(root) is not in a git repository: \(need)"
            case .noCommits(let root):
                "\(root) is not a git repository with a commit: the quality gate measures new code from git"
            case .noCommitYet(let path, let versionHint):
                "\(path) has no commit yet\(versionHint ? ": commit it, or give the version with --version V" : "")"
            case .notACommit(let what, let reference, let root):
                "\(what) '\(reference)' is not a commit in \(root)"
            case .unknownBase(let base, let root):
                "unknown base '\(base)': not a commit in \(root)"
            case .noCommonAncestor(let base, let head):
                "base \(base) and head \(head) have no common ancestor: there is no base...head to diff"
            case .noBranchForEnvironment:
                "no --env given and no git branch to take it from"
            case .branchDeploysNowhere(let branch, let known):
                "branch '\(branch)' deploys nowhere (branches: \(known.joined(separator: ", "))); give --env"
            case .noBase(let environment, let branches):
                "no base for \(environment): no successful pipeline run yet and no branch deploying to it "
                    + "(branches: \(branches.isEmpty ? "none" : branches.joined(separator: ", "))); give --base REF"
            }
        }
    }
}
