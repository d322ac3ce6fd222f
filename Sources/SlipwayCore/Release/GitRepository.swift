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
            throw .failure("cannot run git: \(error)")
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
            throw .failure("cannot run git: \(error)")
        }
    }

    func git(_ arguments: [String]) async throws(SlipwayError) -> String {
        let result = try await Self.run(arguments, in: root)
        guard result.status == 0 else {
            let message = result.output.split(separator: "\n").first.map(String.init) ?? "exit \(result.status)"
            throw .failure("git \(arguments.first ?? ""): \(message)")
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
