import ArgumentParser
import Foundation
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

    /// Opens the workspace and its store; `warnings` says on stderr which component folders were
    /// set aside (commands go on without them).
    func openEngine(
        origin: String = "cli", warnings: Bool = true, output: @escaping @Sendable (String) -> Void = { line in print(line) }
    ) async throws(SlipwayError) -> Engine {
        guard let timeout = DurationText.seconds(lockTimeout) else {
            throw .usage("--lock-timeout: '\(lockTimeout)' is not a duration (e.g. 30s, 2m)")
        }
        if !newStore { try refuseNewStoreBesideALiveAgent() }
        let engine = try await Engine.open(
            workspace: workspace.map { URL(fileURLWithPath: $0) }, state: state.map { URL(fileURLWithPath: $0) },
            origin: origin, lockTimeout: timeout,
            // The console owns the terminal: a write it waits for ends in a status-line error instead.
            lockNotice: { notice in
                guard origin != "console" else { return }
                FileHandle.standardError.write(Data("slipway: \(notice)\n".utf8))
            }, output: output)
        if warnings { Self.warn(about: engine.workspace.problems) }
        do {
            try engine.store.reapInterruptedRuns()
        } catch {
            // Housekeeping only: a store another process holds must not stop a command that reads.
            FileHandle.standardError.write(Data("slipway: warning: interrupted runs not marked yet: \(error.message)\n".utf8))
        }
        return engine
    }

    /// The store file gone while the agent runs means it was removed: a new empty store would hide
    /// the fleet the agent and routers still serve. Recovering it is one command away.
    func refuseNewStoreBesideALiveAgent() throws(SlipwayError) {
        guard let root = try? workspaceRoot() else { return }
        let path = statePath(in: root)
        guard !FileManager.default.fileExists(atPath: path.path) else { return }
        let agent = AgentClient(workspace: root, statePath: path)
        guard agent.isRunning else { return }
        throw .failure("there is no store at \(path.path), but the agent of this workspace runs (socket \(agent.socketPath)): "
            + "the store was removed; recover what the agent knows with 'slipway store rebuild --from-agent', "
            + "or start an empty history with --new-store")
    }

    /// The workspace folder the options name, or the nearest one upward.
    func workspaceRoot() throws(SlipwayError) -> URL {
        let directory = URL(fileURLWithPath: FileManager.default.currentDirectoryPath)
        guard let root = workspace.map({ URL(fileURLWithPath: $0) }) ?? Workspace.locate(from: directory) else {
            throw .usage("no workspace here: no slipway.yml, apps/ or services/ in \(directory.path) or above (use --workspace DIR)")
        }
        return root
    }

    func statePath(in root: URL) -> URL {
        state.map { URL(fileURLWithPath: $0) } ?? root.standardizedFileURL.appendingPathComponent(".slipway/state.db")
    }

    static func warn(about problems: [ComponentProblem]) {
        for problem in problems {
            FileHandle.standardError.write(Data("slipway: warning: \(problem.warning)\n".utf8))
        }
    }

    /// For commands that print JSON: engine progress goes to stderr so stdout stays parseable.
    func openEngine(json: Bool) async throws(SlipwayError) -> Engine {
        guard json else { return try await openEngine() }
        return try await openEngine(output: { line in FileHandle.standardError.write(Data((line + "\n").utf8)) })
    }
}
