import Foundation

/// Finds the components a range of commits changed, the way the seed's detect-changes job
/// does with paths-filter: `git diff base...head`, renames counted on both sides. The components
/// are those of head's tree as git holds it; the working tree's count only with uncommitted changes.
public struct ChangeDetector: Sendable {
    /// The workspace folder, where git runs.
    public var root: URL
    /// The working tree's workspace and its graph: only changes that count uncommitted files read them.
    private var workingTree: (workspace: Workspace, graph: DependencyGraph)?

    public init(workspace: Workspace) throws(SlipwayError) {
        self.init(workspace: workspace, graph: try DependencyGraph(workspace: workspace))
    }

    /// A detector for the loaded `workspace`, whose dependency graph is `graph`.
    public init(workspace: Workspace, graph: DependencyGraph) {
        root = workspace.root
        workingTree = (workspace, graph)
    }

    /// A detector that loads nothing of the working tree until uncommitted changes are asked for.
    public init(root: URL) {
        self.root = root.standardizedFileURL
    }

    /// The changes between `base` and `head` (commits or refs); `baseSource` says why this base.
    public func detect(
        base: String, head: String, baseSource: String, includeUncommitted: Bool = false
    ) async throws(SlipwayError) -> ChangeSet {
        try await detectWithProblems(base: base, head: head, baseSource: baseSource, includeUncommitted: includeUncommitted).changes
    }

    /// `detect`, with the component folders that were set aside (a bad name or configuration at
    /// head), for the caller to warn about.
    public func detectWithProblems(
        base: String, head: String, baseSource: String, includeUncommitted: Bool = false
    ) async throws(SlipwayError) -> (changes: ChangeSet, problems: [ComponentProblem]) {
        // Three git processes at once, one wait: the merge-base (printed), the diff (which finds it
        // again) and one `cat-file` that reads head's components.
        async let mergeBaseRun = attempt(["merge-base", base, head])
        async let diffRun = attempt(["diff", "--name-status", "-M", "-z", "--relative", "\(base)...\(head)"])
        async let headRun = committed(head, needed: !includeUncommitted)
        let (mergeBaseResult, diffResult, headResult) = await (mergeBaseRun, diffRun, headRun)
        let mergeBase = try mergeBaseResult.get()
        let headComponents = try headResult.get()
        if mergeBase.status != 0 || (headComponents == nil && !includeUncommitted) {
            try await refuseNonCommits(base: base, head: head)
        }
        guard mergeBase.status == 0 else {
            throw SlipwayError(.git(.noCommonAncestor(base: base, head: head)))
        }
        let diff = try diffResult.get()
        guard diff.status == 0 else {
            let line = diff.output.split(separator: "\n").first.map(String.init)
            throw SlipwayError(.commandFailed(command: "git diff", status: diff.status, firstLine: line))
        }
        var files = Self.parseNameStatus(diff.output)
        let components: (list: [Component], graph: DependencyGraph, globalPaths: [String], problems: [ComponentProblem])
        let headCommit: String
        if includeUncommitted {
            files += Self.parseNameStatus(try await git(["diff", "--name-status", "-M", "-z", "--relative", "HEAD"]))
            let untracked = try await git(["ls-files", "--others", "--exclude-standard", "-z"])
            files += untracked.split(separator: "\0").map { ChangedFile(path: String($0), change: .added) }
            // Uncommitted changes are the working tree's: its components are the ones they change.
            let (workspace, graph) = try loadedWorkingTree()
            components = (workspace.components, graph, workspace.config.globalPaths, workspace.problems)
            headCommit = try await git(["rev-parse", "\(head)^{commit}"])
        } else if let headComponents {
            components = (headComponents.components, headComponents.graph, headComponents.globalPaths, headComponents.problems)
            headCommit = headComponents.commit
        } else {
            throw SlipwayError(.git(.notACommit(what: "head", reference: head, root: root.path)))
        }
        var seen: Set<String> = []
        files = files.filter { seen.insert($0.path).inserted }
        let changes = ChangeSet(
            base: base, head: headCommit, mergeBase: mergeBase.output.trimmingCharacters(in: .whitespacesAndNewlines),
            baseSource: baseSource, files: files.map(\.path),
            components: Self.classify(files, components: components.list, graph: components.graph, globalPaths: components.globalPaths))
        return (changes, components.problems)
    }

    /// Which components `files` change, and why: `graph` says what each depends on, `globalPaths`
    /// what changes every component.
    public static func classify(
        _ files: [ChangedFile], components: [Component], graph: DependencyGraph, globalPaths: [String]
    ) -> [ChangeSet.ChangedComponent] {
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
        let global = PathFilter(patterns: globalPaths)
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

    /// Head's components from git's tree, when they are needed.
    private func committed(_ head: String, needed: Bool) async -> Result<CommitComponents?, SlipwayError> {
        guard needed else { return .success(nil) }
        do throws(SlipwayError) {
            return .success(try await CommitComponents.read(head, workspace: root))
        } catch {
            return .failure(error)
        }
    }

    private func loadedWorkingTree() throws(SlipwayError) -> (workspace: Workspace, graph: DependencyGraph) {
        if let workingTree { return workingTree }
        let workspace = try Workspace.load(at: root)
        return (workspace, try DependencyGraph(workspace: workspace))
    }

    /// Says which of `base` and `head` names no commit, if one does.
    private func refuseNonCommits(base: String, head: String) async throws(SlipwayError) {
        for (reference, what) in [(base, "base"), (head, "head")] {
            let single = try await GitRepository.run(["rev-parse", "--verify", "-q", "\(reference)^{commit}"], in: root)
            if single.status != 0 { throw SlipwayError(.git(.notACommit(what: what, reference: reference, root: root.path))) }
        }
    }

    private func attempt(_ arguments: [String]) async -> Result<(status: Int32, output: String), SlipwayError> {
        do throws(SlipwayError) {
            return .success(try await GitRepository.run(arguments, in: root))
        } catch {
            return .failure(error)
        }
    }

    private func git(
        _ arguments: [String],
        failure: (String) -> SlipwayError = { .failure($0) }
    ) async throws(SlipwayError) -> String {
        let result = try await GitRepository.run(arguments, in: root)
        guard result.status == 0 else {
            let line = result.output.split(separator: "\n").first.map(String.init) ?? "exit \(result.status)"
            throw failure("git \(arguments.first ?? ""): \(line)")
        }
        return result.output.trimmingCharacters(in: .whitespacesAndNewlines)
    }
}
