import Synchronization

/// Hands messages from the store watcher to the terminal thread, and reload requests and
/// the screens' focus back.
final class ConsoleMailbox: Sendable {
    private let messages = Mutex<[ConsoleMessage]>([])
    private let reloadRequested = Mutex(false)
    private let currentFocus = Mutex(ConsoleFocus())

    func post(_ message: ConsoleMessage) {
        messages.withLock { $0.append(message) }
    }

    /// Every message posted since the last call, oldest first.
    func takeMessages() -> [ConsoleMessage] {
        messages.withLock { pending in
            defer { pending.removeAll() }
            return pending
        }
    }

    func requestReload() {
        reloadRequested.withLock { $0 = true }
    }

    func takeReloadRequest() -> Bool {
        reloadRequested.withLock { requested in
            defer { requested = false }
            return requested
        }
    }

    var focus: ConsoleFocus {
        get { currentFocus.withLock { $0 } }
        set { currentFocus.withLock { $0 = newValue } }
    }
}
