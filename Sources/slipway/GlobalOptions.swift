import ArgumentParser
import Foundation
import Logging
import SlipwayCore

/// Options every command takes: where the workspace and its store are.
struct GlobalOptions: ParsableArguments {
    @Option(name: .long, help: "The workspace folder (default: the nearest folder upward with slipway.yml, apps/ or services/).")
    var workspace: String?

    @Option(name: .long, help: "The event store file (default: <workspace>/.slipway/state.db).")
    var state: String?

    @Flag(name: .long, help: "Start an empty store even though an agent of this workspace runs (its store was removed).")
    var newStore = false

    @Option(name: .long, help: ArgumentHelp("How long a write waits for another process' lock on the store before giving up.", valueName: "duration"))
    var lockTimeout = "15s"

    @Option(name: .long, help: ArgumentHelp(
        "The least severe diagnostics shown: trace, debug, info, notice, warning, error or critical (default: SLIPWAY_LOG_LEVEL, else info).",
        valueName: "level"))
    var logLevel: Logger.Level?

    /// Where the command line's diagnostics go: warnings, notices of waits.
    static let diagnostics = Logger(label: diagnosticsLabel)
    static let diagnosticsLabel = "slipway"

    /// The level `--log-level` (anywhere on the command line) or else `SLIPWAY_LOG_LEVEL` asks for;
    /// info when neither does or the value is no level (argument parsing then says so).
    static func logLevel(arguments: [String], environment: [String: String]) -> Logger.Level {
        var named: String?
        for (index, argument) in arguments.enumerated() {
            if argument == "--" { break }
            if argument == "--log-level", index + 1 < arguments.count { named = arguments[index + 1] }
            if argument.hasPrefix("--log-level=") { named = String(argument.dropFirst("--log-level=".count)) }
        }
        return (named ?? environment["SLIPWAY_LOG_LEVEL"]).flatMap(Logger.Level.init(rawValue:)) ?? .info
    }

    /// Opens the workspace and its store; `warnings` says on stderr which component folders were
    /// set aside (commands go on without them). A folder the command itself `names` is not warned
    /// about: the command fails with that folder's error, one line rather than the same said twice.
    func openEngine(
        origin: String = "cli", warnings: Bool = true, naming reference: String? = nil,
        output: (@Sendable (String) -> Void)? = nil
    ) async throws(SlipwayError) -> Engine {
        guard let timeout = DurationText.seconds(lockTimeout) else {
            throw SlipwayError(.invalidValue(option: "--lock-timeout", value: lockTimeout, expected: "a duration (e.g. 30s, 2m)"))
        }
        if !newStore { try await refuseNewStoreBesideALiveAgent() }
        let engine = try await Engine.open(
            workspace: workspace.map { URL(fileURLWithPath: $0) }, state: state.map { URL(fileURLWithPath: $0) },
            origin: origin, lockTimeout: timeout,
            // The console owns the terminal: a write it waits for ends in a status-line error instead.
            lockNotice: { notice in
                guard origin != "console" else { return }
                Self.diagnostics.notice("\(notice)")
            }, output: output ?? { line in StreamedOutput.standard.write(line) })
        if warnings { Self.warn(about: engine.workspace.problems.filter { !(reference.map($0.isNamed(by:)) ?? false) }) }
        do {
            try engine.store.reapInterruptedRuns()
        } catch {
            // Housekeeping only: a store another process holds must not stop a command that reads.
            Self.diagnostics.warning("interrupted runs not marked yet: \(error.message)")
        }
        return engine
    }

    /// The store file gone while the agent runs means it was removed: a new empty store would hide
    /// the fleet the agent and routers still serve. Recovering it is one command away.
    func refuseNewStoreBesideALiveAgent() async throws(SlipwayError) {
        guard let root = try? workspaceRoot() else { return }
        let path = statePath(in: root)
        guard !FileManager.default.fileExists(atPath: path.path) else { return }
        // With a shared store chosen there is no file to lose.
        if case .some(.some) = try? sharedStoreURL() { return }
        let agent = AgentClient(workspace: root, statePath: path)
        guard await agent.answers() else { return }
        throw SlipwayError(.agent(.storeRemoved(path: path.path, socket: agent.socketPath)))
    }

    /// The workspace folder the options name, or the nearest one upward.
    func workspaceRoot() throws(SlipwayError) -> URL {
        let directory = URL(fileURLWithPath: FileManager.default.currentDirectoryPath)
        guard let root = workspace.map({ URL(fileURLWithPath: $0) }) ?? Workspace.locate(from: directory) else {
            throw SlipwayError(.noWorkspace(searchedFrom: directory.path))
        }
        return root
    }

    func statePath(in root: URL) -> URL {
        state.map { URL(fileURLWithPath: $0) } ?? root.standardizedFileURL.appendingPathComponent(".slipway/state.db")
    }

    static func warn(about problems: [ComponentProblem]) {
        for problem in problems {
            diagnostics.warning("\(problem.warning)")
        }
    }

    /// The components as the engine has them (with the warnings of those set aside), without
    /// opening the store: listing them needs no store, local or shared.
    func loadComponents() throws(SlipwayError) -> Workspace {
        let loaded = try Engine.workspace(at: workspaceRoot())
        Self.warn(about: loaded.problems)
        return loaded
    }

    /// The workspace alone, without its store: for commands that read only configuration and git.
    func loadWorkspace() throws(SlipwayError) -> Workspace {
        let loaded = try Workspace.load(at: workspaceRoot())
        Self.warn(about: loaded.problems)
        return loaded
    }

    /// The team's shared store when one is chosen (`store:` in slipway.yml or `SLIPWAY_STORE_URL`).
    func sharedStoreURL() throws(SlipwayError) -> StoreURL? {
        try Workspace.load(at: workspaceRoot()).config.storeURL(environment: ProcessInfo.processInfo.environment)
    }

    /// For commands that reach the embedded store's files without opening the engine: refused,
    /// never a quiet fallback, while a shared store is chosen.
    func refuseSharedStore() throws(SlipwayError) {
        if let shared = try sharedStoreURL() { throw SlipwayError(.embeddedStoreNeeded(chosen: shared.masked)) }
    }

    /// The workspace's event log: the shared PostgreSQL store when one is chosen, else the
    /// embedded store as `openEngine` opens it.
    func openEventLog(json: Bool) async throws(SlipwayError) -> any ProjectedEventLog {
        let notice: @Sendable (String) -> Void = { line in Self.diagnostics.notice("\(line)") }
        if let shared = try await Engine.openSharedEventLog(workspace: workspaceRoot(), notice: notice) {
            if let state {
                throw SlipwayError.usage("--state \(state) names an embedded store, and the shared store \(shared.location) is chosen")
            }
            return shared
        }
        return try await openEngine(json: json).store.eventLog
    }

    /// For commands that print JSON: engine progress goes to stderr so stdout stays parseable.
    func openEngine(json: Bool, naming reference: String? = nil) async throws(SlipwayError) -> Engine {
        guard json else { return try await openEngine(naming: reference) }
        return try await openEngine(naming: reference, output: { line in FileHandle.standardError.write(Data((line + "\n").utf8)) })
    }
}

extension Logger.Level: @retroactive ExpressibleByArgument {}
