import Foundation
import Subprocess
import SystemPackage

/// The git repository a workspace lives in: where versions, commits and release tags come from.
public struct GitRepository: Sendable {
    public var root: URL

    /// The repository holding `directory`, or nil when it is not in one.
    public static func containing(_ directory: URL) async -> GitRepository? {
        guard let result = try? await run(["rev-parse", "--show-toplevel"], in: directory), result.status == 0 else {
            return nil
        }
        return GitRepository(root: URL(fileURLWithPath: result.output.trimmingCharacters(in: .whitespacesAndNewlines)))
    }

    /// The repository holding `directory` as git finds it, the nearest folder upward with a `.git`
    /// folder or file, without starting git: every command that opens the engine asks.
    public static func enclosing(_ directory: URL) -> GitRepository? {
        var folder = directory.standardizedFileURL.resolvingSymlinksInPath()
        while true {
            if FileManager.default.fileExists(atPath: folder.appendingPathComponent(".git").path) {
                return GitRepository(root: folder)
            }
            let parent = folder.deletingLastPathComponent()
            if parent.path == folder.path { return nil }
            folder = parent
        }
    }

    @discardableResult
    static func run(_ arguments: [String], in directory: URL) async throws(SlipwayError) -> (status: Int32, output: String) {
        do {
            let result = try await Subprocess.run(
                .name("git"), arguments: Arguments(arguments),
                environment: .inherit.updating(["GIT_TERMINAL_PROMPT": "0", "LC_ALL": "C"]),
                workingDirectory: FilePath(directory.path),
                output: .string(limit: 16 << 20), error: .string(limit: 1 << 20))
            let status: Int32
            switch result.terminationStatus {
            case .exited(let code): status = code
            case .signaled(let signal): status = 128 + signal
            }
            let output = status == 0 ? result.standardOutput : result.standardError
            return (status, output)
        } catch {
            throw SlipwayError(.cannotRun(command: "git", problem: "\(error)"))
        }
    }

    /// Runs git with `input` on its standard input, for its standard output as bytes (such as the
    /// blobs of `cat-file --batch`); a failure's output is its standard error.
    static func run(
        _ arguments: [String], input: String, in directory: URL
    ) async throws(SlipwayError) -> (status: Int32, output: [UInt8], error: String) {
        do {
            let result = try await Subprocess.run(
                .name("git"), arguments: Arguments(arguments),
                environment: .inherit.updating(["GIT_TERMINAL_PROMPT": "0", "LC_ALL": "C"]),
                workingDirectory: FilePath(directory.path), input: .string(input),
                output: .bytes(limit: 256 << 20), error: .string(limit: 1 << 20))
            let status: Int32
            switch result.terminationStatus {
            case .exited(let code): status = code
            case .signaled(let signal): status = 128 + signal
            }
            return (status, result.standardOutput, result.standardError)
        } catch {
            throw SlipwayError(.cannotRun(command: "git", problem: "\(error)"))
        }
    }

    func git(_ arguments: [String]) async throws(SlipwayError) -> String {
        let result = try await Self.run(arguments, in: root)
        guard result.status == 0 else {
            let line = result.output.split(separator: "\n").first.map(String.init)
            throw SlipwayError(.commandFailed(command: "git \(arguments.first ?? "")", status: result.status, firstLine: line))
        }
        return result.output.trimmingCharacters(in: .whitespacesAndNewlines)
    }

    /// The commit that last changed `path` (relative to the repository), if any did.
    public func lastCommit(touching path: String) async throws(SlipwayError) -> String? {
        let output = try await git(["log", "-1", "--format=%H", "--", path])
        return output.isEmpty ? nil : output
    }

    /// Whether `path` has uncommitted changes, untracked files included.
    public func hasUncommittedChanges(in path: String) async throws(SlipwayError) -> Bool {
        !(try await git(["status", "--porcelain", "--", path])).isEmpty
    }

    public func headCommit() async throws(SlipwayError) -> String? {
        let result = try await Self.run(["rev-parse", "--verify", "-q", "HEAD"], in: root)
        return result.status == 0 ? result.output.trimmingCharacters(in: .whitespacesAndNewlines) : nil
    }

    public func currentBranch() async throws(SlipwayError) -> String? {
        let result = try await Self.run(["symbolic-ref", "--short", "-q", "HEAD"], in: root)
        return result.status == 0 ? result.output.trimmingCharacters(in: .whitespacesAndNewlines) : nil
    }

    /// Checks `commit` out, detached, into a new folder at `path`.
    public func addWorktree(at path: URL, commit: String) async throws(SlipwayError) {
        _ = try await git(["worktree", "add", "--detach", "--force", path.path, commit])
    }

    /// Fetches from every remote, so a commit pushed since is known here.
    public func fetch() async throws(SlipwayError) {
        _ = try await git(["fetch", "--quiet", "--all"])
    }

    public func removeWorktree(at path: URL) async {
        _ = try? await git(["worktree", "remove", "--force", path.path])
        try? FileManager.default.removeItem(at: path)
        _ = try? await git(["worktree", "prune"])
    }

    /// Writes (or moves) the tag `name` to `commit`.
    public func tag(_ name: String, commit: String) async throws(SlipwayError) {
        _ = try await git(["tag", "-f", name, commit])
    }
}

extension GitRepository {
    /// The empty tree: what a diff from "nothing live yet" starts from.
    static let emptyTree = "4b825dc642cb6eb9a060e54bf8d69288fbee4904"

    /// The full hash of `revision` (a commit, an abbreviated hash, a tag, a branch), or nil when
    /// it names no commit.
    public func commit(named revision: String) async throws(SlipwayError) -> String? {
        guard !revision.hasPrefix("-") else { return nil }
        let result = try await Self.run(["rev-parse", "--verify", "-q", "\(revision)^{commit}"], in: root)
        return result.status == 0 ? result.output.trimmingCharacters(in: .whitespacesAndNewlines) : nil
    }

    /// `git log` of the commits in `to` and not in `from` touching `path`, newest first, one a line:
    /// abbreviated hash, subject and author separated by U+001F.
    public func log(from: String?, to: String, path: String) async throws(SlipwayError) -> String {
        try await git(["log", "--format=%h%x1f%s%x1f%an", from.map { "\($0)..\(to)" } ?? to, "--", path])
    }

    /// `git diff --name-status` of `path` between two commits (`from` nil: from nothing).
    public func nameStatus(from: String?, to: String, path: String) async throws(SlipwayError) -> String {
        try await git(["diff", "--name-status", "--no-renames", from ?? Self.emptyTree, to, "--", path])
    }

    /// Whether git ignores `file` (an absolute path inside the repository): a file of secrets
    /// must be, so it is never committed.
    public func ignores(_ file: URL) async throws(SlipwayError) -> Bool {
        let result = try await Self.run(["check-ignore", "-q", "--", file.path], in: root)
        guard result.status <= 1 else { throw .failure("git check-ignore \(file.path): \(result.output)") }
        return result.status == 0
    }

    /// Whether `ancestor` is `commit` or one of its ancestors.
    public func isAncestor(_ ancestor: String, of commit: String) async throws(SlipwayError) -> Bool {
        try await Self.run(["merge-base", "--is-ancestor", ancestor, commit], in: root).status == 0
    }
}

extension GitRepository {
    /// When `commit` was made.
    public func commitDate(_ commit: String) async throws(SlipwayError) -> Date {
        let seconds = try await git(["log", "-1", "--format=%ct", commit])
        return Date(timeIntervalSince1970: Double(seconds) ?? 0)
    }

    /// Commits touching `path` in `ahead` and not in `behind`, and the reverse.
    public func distance(behind: String, ahead: String, path: String) async throws(SlipwayError) -> (missing: Int, extra: Int) {
        let counts = try await git(["rev-list", "--left-right", "--count", "\(behind)...\(ahead)", "--", path])
            .split(whereSeparator: \.isWhitespace).compactMap { Int($0) }
        return (counts.count == 2 ? counts[1] : 0, counts.first ?? 0)
    }

    /// The branch releases are cut from: `main`, else `master`, else the current one.
    public func defaultBranch() async throws(SlipwayError) -> String? {
        for branch in ["main", "master"] {
            if try await commit(named: "refs/heads/\(branch)") != nil { return branch }
        }
        return try await currentBranch()
    }

    /// `git log` of the commits on `branch` touching `path` that none of `excluded` contains,
    /// in the format of `log(from:to:path:)`.
    public func log(on branch: String, excluding excluded: [String], path: String) async throws(SlipwayError) -> String {
        try await git(["log", "--format=%h%x1f%s%x1f%an", branch] + (excluded.isEmpty ? [] : ["--not"] + excluded) + ["--", path])
    }
}
