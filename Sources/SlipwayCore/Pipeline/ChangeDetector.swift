import Foundation

/// Finds the components a range of commits changed, the way the seed's detect-changes job
/// does with paths-filter: `git diff base...head`, renames counted on both sides.
public struct ChangeDetector: Sendable {
    public var workspace: Workspace
    public var graph: DependencyGraph

    public init(workspace: Workspace) throws(SlipwayError) {
        self.workspace = workspace
        graph = try DependencyGraph(workspace: workspace)
    }

    /// The changes between `base` and `head` (commits or refs); `baseSource` says why this base.
    public func detect(
        base: String, head: String, baseSource: String, includeUncommitted: Bool = false
    ) async throws(SlipwayError) -> ChangeSet {
        let (baseCommit, headCommit, checkedOut) = try await resolve(base: base, head: head)
        // The merge-base and the diff (which finds it again) run at once: one process's wait, not two.
        async let mergeBaseRun = attempt(["merge-base", baseCommit, headCommit])
        async let diffRun = attempt(["diff", "--name-status", "-M", "-z", "--relative", "\(baseCommit)...\(headCommit)"])
        let (mergeBaseResult, diffResult) = await (mergeBaseRun, diffRun)
        let mergeBase = try mergeBaseResult.get()
        guard mergeBase.status == 0 else {
            throw .failure("base \(base) and head \(head) have no common ancestor: there is no base...head to diff")
        }
        let diff = try diffResult.get()
        guard diff.status == 0 else {
            throw .failure("git diff: \(diff.output.split(separator: "\n").first.map(String.init) ?? "exit \(diff.status)")")
        }
        var files = Self.parseNameStatus(diff.output)
        if includeUncommitted {
            files += Self.parseNameStatus(try await git(["diff", "--name-status", "-M", "-z", "--relative", "HEAD"]))
            let untracked = try await git(["ls-files", "--others", "--exclude-standard", "-z"])
            files += untracked.split(separator: "\0").map { ChangedFile(path: String($0), change: .added) }
        }
        var seen: Set<String> = []
        files = files.filter { seen.insert($0.path).inserted }
        let present = try await componentFolders(
            at: headCommit, asLoaded: includeUncommitted || headCommit == checkedOut)
        return ChangeSet(
            base: base, head: headCommit, mergeBase: mergeBase.output.trimmingCharacters(in: .whitespacesAndNewlines),
            baseSource: baseSource, files: files.map(\.path),
            components: classify(files, components: workspace.components.filter { present.contains($0.path) }))
    }

    /// Which components `files` change, and why.
    public func classify(_ files: [ChangedFile], components: [Component]) -> [ChangeSet.ChangedComponent] {
        // Components live at apps/NAME and services/NAME: index files by their first two names.
        var byFolder: [Substring: [String]] = [:]
        for file in files {
            let parts = file.path.split(separator: "/", maxSplits: 2)
            guard parts.count == 3 else { continue }
            let folder = file.path[..<parts[1].endIndex]
            byFolder[folder, default: []].append(file.path)
        }
        let candidates = files.map(PathFilter.Candidate.init)
        func matching(_ filter: PathFilter) -> [String] {
            candidates.filter(filter.matches).map(\.file.path)
        }
        var changed: [String: ChangeSet.ChangedComponent] = [:]
        for component in components {
            if let own = byFolder[Substring(component.path)] {
                changed[component.name] = .init(name: component.name, kind: component.kind, reason: .files, files: own)
            } else if !component.settings.paths.isEmpty {
                let matched = matching(component.settings.paths)
                if !matched.isEmpty {
                    changed[component.name] = .init(name: component.name, kind: component.kind, reason: .paths, files: matched)
                }
            }
        }
        // Dependencies, to a fixed point: each pass adds at least one component or ends.
        for _ in 0...components.count {
            var added = false
            for component in components where changed[component.name] == nil {
                let via = (graph.dependencies[component.name] ?? []).filter { changed[$0] != nil }
                var through = via.flatMap { changed[$0]?.files ?? [] }
                if let filter = graph.pathDependencies[component.name], !filter.isEmpty {
                    through += matching(filter)
                }
                guard !through.isEmpty else { continue }
                var seen: Set<String> = []
                changed[component.name] = .init(
                    name: component.name, kind: component.kind, reason: .dependency,
                    files: through.filter { seen.insert($0).inserted }, via: via.isEmpty ? nil : via)
                added = true
            }
            if !added { break }
        }
        let global = PathFilter(patterns: workspace.config.globalPaths)
        let globalFiles = matching(global)
        if !globalFiles.isEmpty {
            for component in components where changed[component.name] == nil {
                changed[component.name] = .init(name: component.name, kind: component.kind, reason: .global, files: globalFiles)
            }
        }
        return components.compactMap { changed[$0.name] }
    }

    /// `git diff --name-status -z` output: a status, then one path (two for renames and copies,
    /// which both count: the old path as well as the new).
    static func parseNameStatus(_ output: String) -> [ChangedFile] {
        let fields = output.split(separator: "\0", omittingEmptySubsequences: true)
        var files: [ChangedFile] = []
        var index = 0
        while index < fields.count {
            let status = fields[index]
            let change = ChangedFile.Change(gitStatus: status)
            let paths = change == .renamed || change == .copied ? 2 : 1
            for offset in 1...paths where index + offset < fields.count {
                files.append(ChangedFile(path: String(fields[index + offset]), change: change))
            }
            index += 1 + paths
        }
        return files
    }

    /// The component folders at `commit`. When that is what is checked out, the workspace as
    /// loaded already is the head's (saving a git process per call).
    private func componentFolders(at commit: String, asLoaded: Bool) async throws(SlipwayError) -> Set<String> {
        if asLoaded { return Set(workspace.components.map(\.path)) }
        let listing = try await git(["ls-tree", "-d", "--name-only", "-z", commit, "apps/", "services/"])
        return Set(listing.split(separator: "\0").map(String.init))
    }

    /// The commits `base`, `head` and HEAD name, in one git process (HEAD is nil in a repository without commits).
    private func resolve(base: String, head: String) async throws(SlipwayError) -> (String, String, String?) {
        let result = try await GitRepository.run(
            ["rev-parse", "\(base)^{commit}", "\(head)^{commit}", "HEAD"], in: workspace.root)
        let lines = result.output.split(separator: "\n").map(String.init)
        if result.status == 0, lines.count == 3 { return (lines[0], lines[1], lines[2]) }
        for (reference, what) in [(base, "base"), (head, "head")] {
            let single = try await GitRepository.run(["rev-parse", "--verify", "-q", "\(reference)^{commit}"], in: workspace.root)
            if single.status != 0 { throw .usage("\(what) '\(reference)' is not a commit in \(workspace.root.path)") }
        }
        let baseCommit = try await git(["rev-parse", "\(base)^{commit}"])
        return (baseCommit, try await git(["rev-parse", "\(head)^{commit}"]), nil)
    }

    private func attempt(_ arguments: [String]) async -> Result<(status: Int32, output: String), SlipwayError> {
        do throws(SlipwayError) {
            return .success(try await GitRepository.run(arguments, in: workspace.root))
        } catch {
            return .failure(error)
        }
    }

    private func git(
        _ arguments: [String],
        failure: (String) -> SlipwayError = { .failure($0) }
    ) async throws(SlipwayError) -> String {
        let result = try await GitRepository.run(arguments, in: workspace.root)
        guard result.status == 0 else {
            let line = result.output.split(separator: "\n").first.map(String.init) ?? "exit \(result.status)"
            throw failure("git \(arguments.first ?? ""): \(line)")
        }
        return result.output.trimmingCharacters(in: .whitespacesAndNewlines)
    }
}
