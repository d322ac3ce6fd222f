import Foundation
import SlipwayCore

/// The interactive console: fleet, runs, health, audit, components, releases and logs,
/// following the shared store live.
public enum Console {
    /// Runs the console on the terminal until the operator quits or a signal arrives. The
    /// terminal is restored in every case, also when an error is thrown.
    public static func run(engine: Engine, settings: ConsoleSettings) async throws -> ConsoleExit {
        let mailbox = try ConsoleMailbox()
        let signals = SignalWatch()
        signals.start { mailbox.terminalWake.wake() }
        let watcher = Task {
            await StoreWatcher(engine: engine, readOnly: settings.readOnly, mailbox: mailbox).watch()
        }
        defer { watcher.cancel() }
        let loop = ConsoleLoop(
            header: ConsoleHeader(
                workspace: engine.workspace.root.path, actor: engine.identity.name, skipped: engine.workspace.problems.map(\.path),
                roles: engine.rolesByEnvironment),
            settings: settings, mailbox: mailbox, sender: RequestSender(engine: engine),
            past: PastLoader(engine: engine), signals: signals)
        // ncurses blocks while waiting for a key, so it gets a thread of its own rather than
        // one of the few the concurrency runtime shares.
        return try await withCheckedThrowingContinuation { (continuation: CheckedContinuation<ConsoleExit, any Error>) in
            let thread = Thread {
                do {
                    continuation.resume(returning: try loop.run())
                } catch {
                    continuation.resume(throwing: error)
                }
            }
            thread.name = "slipway-console"
            thread.start()
        }
    }
}
