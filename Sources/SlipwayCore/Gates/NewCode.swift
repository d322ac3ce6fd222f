import Foundation

/// The lines added in `base...HEAD` (the diff-cover method: against the merge-base, so work
/// merged into the base meanwhile does not count as new).
public struct NewCode: Sendable, Equatable {
    /// Added lines per file (paths relative to the workspace root): line number to text.
    public var files: [String: [Int: String]]

    public init(files: [String: [Int: String]] = [:]) {
        self.files = files
    }

    /// Added lines holding more than whitespace in source files: SonarQube's "new lines" (reports,
    /// documents and configuration that changed alongside do not count).
    public var lineCount: Int {
        sourceLines.values.reduce(0) { $0 + $1.count }
    }

    /// Non-blank added lines of source files, per file.
    public var sourceLines: [String: [Int: String]] {
        files.filter { Self.isSource($0.key) }.mapValues { $0.filter { !$0.value.allSatisfy(\.isWhitespace) } }
    }

    static func isSource(_ path: String) -> Bool {
        DuplicationDetector.sourceExtensions.contains(URL(fileURLWithPath: path).pathExtension.lowercased())
    }

    /// Fails unless `root` is inside a git work tree with a commit: new code is measured from git.
    static func requireRepository(_ root: URL) async throws(SlipwayError) {
        guard try await git(["rev-parse", "--verify", "--quiet", "HEAD^{commit}"], in: root).status == 0 else {
            throw SlipwayError(.git(.noCommits(root: root.path)))
        }
    }

    /// Reads `git diff -U0 base...HEAD` for the files under `path` (relative to the workspace root).
    public static func read(workspace root: URL, path: String, base: String) async throws(SlipwayError) -> NewCode {
        let verify = try await git(["rev-parse", "--verify", "--quiet", "\(base)^{commit}"], in: root)
        guard verify.status == 0 else { throw SlipwayError(.git(.unknownBase(base, root: root.path))) }
        let diff = try await git(
            ["-c", "core.quotePath=false", "diff", "-U0", "--no-color", "--no-ext-diff", "--relative",
             "\(base)...HEAD", "--", path],
            in: root)
        guard diff.status == 0 else {
            throw .failure("git diff \(base)...HEAD: \(diff.output.split(separator: "\n").first ?? "failed")")
        }
        return parse(diff.output)
    }

    /// Parses unified diff text with no context lines.
    static func parse(_ diff: String) -> NewCode {
        var files: [String: [Int: String]] = [:]
        var file: String?
        var next = 0
        for line in diff.split(separator: "\n", omittingEmptySubsequences: false) {
            if line.hasPrefix("+++ ") {
                let name = line.dropFirst(4)
                file = name == "/dev/null" ? nil : unquote(name.hasPrefix("b/") ? name.dropFirst(2) : name)
            } else if line.hasPrefix("@@ ") {
                // @@ -a,b +c,d @@: added lines start at c.
                let added = line.split(separator: " ").first { $0.hasPrefix("+") }
                next = added.flatMap { Int($0.dropFirst().split(separator: ",").first ?? "") } ?? 0
            } else if line.hasPrefix("+"), let name = file {
                files[name, default: [:]][next] = String(line.dropFirst())
                next += 1
            }
        }
        return NewCode(files: files)
    }

    private static func unquote(_ name: Substring) -> String {
        guard name.hasPrefix("\""), name.hasSuffix("\""), name.count >= 2 else { return String(name) }
        return String(name.dropFirst().dropLast())
    }

    static func git(_ arguments: [String], in directory: URL) async throws(SlipwayError) -> (status: Int32, output: String) {
        try await GitRepository.run(arguments, in: directory)
    }
}
