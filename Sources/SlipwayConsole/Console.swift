import Foundation
import SlipwayCore

/// The interactive console: the fleet, the runs and help, following the shared store live.
public enum Console {
    /// Runs the console on the terminal until the operator quits. Errors opening the
    /// terminal are thrown, with the terminal restored.
    public static func run(engine: Engine, readOnly: Bool) async throws {
        let mailbox = ConsoleMailbox()
        let watcher = Task { await StoreWatcher(engine: engine, readOnly: readOnly, mailbox: mailbox).watch() }
        defer { watcher.cancel() }
        let loop = ConsoleLoop(
            header: ConsoleHeader(workspace: engine.workspace.root.path, actor: engine.store.actor),
            readOnly: readOnly, mailbox: mailbox)
        // ncurses blocks while waiting for a key, so it gets a thread of its own rather than
        // one of the few the concurrency runtime shares.
        try await withCheckedThrowingContinuation { (continuation: CheckedContinuation<Void, any Error>) in
            let thread = Thread {
                do {
                    try loop.run()
                    continuation.resume()
                } catch {
                    continuation.resume(throwing: error)
                }
            }
            thread.name = "slipway-console"
            thread.start()
        }
    }
}
