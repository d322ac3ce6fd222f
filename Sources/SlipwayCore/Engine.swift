import Foundation

/// The deploy, rollback and quality engine: one workspace and its store. The command line,
/// the console and CI all act through it, so they do exactly the same thing.
///
/// The engine's files sit on top of SlipwayCore's folders (Support <- Workspace <- Store <- Targets <-
/// Release, Pipeline, Gates, Health, Data, Secrets <- ReadModel <- Engine); the parts that act are handed an
/// `Engine`, and every folder may add its API to it in an `extension Engine`.
public struct Engine: Sendable {
    public var workspace: Workspace
    public var store: EventStore
    /// Nil when the workspace is not in a git repository (then `--version` is required).
    public var git: GitRepository?
    public var masker: SecretMasker
    /// Where the engine writes progress and child output, line by line.
    public var output: @Sendable (String) -> Void
    /// `cli`, `console` or `ci`: recorded with every run.
    public var origin: String
    /// Where watches, health gates and canaries read the time and wait.
    public var clock: any EngineClock = SystemClock()
    /// The environment of whoever asked: a run the agent executes gets it (tokens included).
    public var environment: [String: String] = [:]

    /// The workspace at `root` as an engine opened on it has it: the component folders its targets
    /// cannot deploy as configured are set aside. For commands that need no store.
    public static func workspace(at root: URL) throws(SlipwayError) -> Workspace {
        var workspace = try Workspace.load(at: root)
        setAsideUnsupportedStrategies(in: &workspace)
        return workspace
    }

    /// Opens the workspace at `root` (or the nearest one above `directory`) and its store.
    public static func open(
        workspace root: URL?, state: URL?, from directory: URL = URL(fileURLWithPath: FileManager.default.currentDirectoryPath),
        origin: String = "cli", environment: [String: String] = ProcessInfo.processInfo.environment,
        lockTimeout: TimeInterval = 15, lockNotice: @escaping @Sendable (String) -> Void = { _ in },
        output: @escaping @Sendable (String) -> Void = { print($0) }
    ) async throws(SlipwayError) -> Engine {
        guard let location = root ?? Workspace.locate(from: directory) else {
            throw SlipwayError(.noWorkspace(searchedFrom: directory.path))
        }
        let workspace = try self.workspace(at: location)
        let masker = Self.masker(for: workspace, environment: environment)
        let store: any EventStore
        // A team's shared store when one is chosen; never a quiet fallback to the SQLite file, which
        // is not the team's history.
        if let shared = try workspace.config.storeURL(environment: environment) {
            // The workspace's own file is where this machine's files go whichever store is chosen.
            let own = workspace.stateDirectory.appendingPathComponent("state.db").standardizedFileURL.path
            if let state, state.standardizedFileURL.path != own {
                throw SlipwayError.usage("--state \(state.path) names an embedded store, and the shared store \(shared.masked) is chosen")
            }
            store = try await PostgresStore.open(shared, masker: masker, notice: lockNotice)
        } else {
            store = try SQLiteStore(
                path: state ?? workspace.stateDirectory.appendingPathComponent("state.db"),
                identity: ActorIdentity.onThisMachine(environment: environment), masker: masker, lockTimeout: lockTimeout, lockNotice: lockNotice)
        }
        let git = GitRepository.enclosing(workspace.root)
        return Engine(
            workspace: workspace, store: store, git: git, masker: masker,
            output: { output(masker.mask($0)) }, origin: Actor.origin(origin, environment: environment),
            environment: environment)
    }

    /// What the engine masks for `workspace`: secrets by name, every database's password and the
    /// shared store's.
    static func masker(for workspace: Workspace, environment: [String: String]) -> SecretMasker {
        let secretNames = workspace.config.secretNames + workspace.components.flatMap(\.settings.secrets)
        let passwords = workspace.config.databases.values.compactMap { $0.urlEnv.flatMap { environment[$0] }.flatMap(DatabaseURL.password(in:)) }
        let store = (try? workspace.config.storeURL(environment: environment)).flatMap { $0 }
        return SecretMasker(environment: environment, names: secretNames, also: passwords + [store?.password].compactMap { $0 })
    }

    /// The embedded store's file, or where it would be: this machine's own state (the agent's
    /// socket and lock, tokens, backups) sits in its folder whichever store keeps the history.
    public var statePath: URL {
        (store as? SQLiteStore)?.path ?? workspace.stateDirectory.appendingPathComponent("state.db")
    }

    public var executor: RunExecutor {
        var executor = RunExecutor(store: store, stateFolder: statePath.deletingLastPathComponent(), masker: masker, output: output)
        executor.environment = environment.isEmpty ? nil : environment
        return executor
    }

    /// The component's path relative to the git repository's root.
    func repositoryPath(of component: Component) -> String {
        guard let git else { return component.path }
        let root = git.root.resolvingSymlinksInPath().path
        let directory = component.directory.resolvingSymlinksInPath().path
        return directory.hasPrefix(root + "/") ? String(directory.dropFirst(root.count + 1)) : component.path
    }

    /// The version to deploy: `requested` if given, else from git.
    public func version(of component: Component, requested: String?) async throws(SlipwayError) -> (version: String, commit: String?) {
        if let requested {
            let version = try ReleaseVersion.validate(requested)
            let commit = try await git?.lastCommit(touching: repositoryPath(of: component))
            return (version, commit)
        }
        guard let git else {
            throw SlipwayError(.git(.notARepository(root: workspace.root.path, need: "give the version with --version V")))
        }
        let path = repositoryPath(of: component)
        let dirty = try await git.hasUncommittedChanges(in: path)
        var lastCommit = try await git.lastCommit(touching: path)
        if lastCommit == nil { lastCommit = try await git.headCommit() }
        guard let commit = lastCommit else {
            throw SlipwayError(.git(.noCommitYet(path: component.path, versionHint: true)))
        }
        return (ReleaseVersion.from(commit: commit, dirty: dirty), commit)
    }

    /// The folder a `local` release of `version` is built into once and kept.
    public func releaseDirectory(of component: Component, version: String) -> URL {
        workspace.stateDirectory.appendingPathComponent("releases/\(component.name)/\(version)")
    }

    /// The environment `name`, or the one the current git branch deploys to when nil.
    public func environment(named name: String?) async throws(SlipwayError) -> EnvironmentSettings {
        if let name { return try workspace.environment(named: name) }
        guard let branch = try await git?.currentBranch() else {
            throw SlipwayError(.git(.noBranchForEnvironment))
        }
        guard let environment = workspace.config.branches[branch] else {
            let known = workspace.config.branches.sorted { $0.key < $1.key }.map { "\($0.key) -> \($0.value)" }
            throw SlipwayError(.git(.branchDeploysNowhere(branch, known: known)))
        }
        return try workspace.environment(named: environment)
    }
}
