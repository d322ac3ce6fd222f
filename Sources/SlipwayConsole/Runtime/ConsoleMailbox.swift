import SlipwayCore
import Synchronization

/// Hands messages from the store watcher to the terminal thread, and reload requests and
/// the screens' focus back.
final class ConsoleMailbox: Sendable {
    /// Ends the terminal thread's wait when a message is posted, so it is drawn at once.
    let terminalWake: WakePipe
    private let messages = Mutex<[ConsoleMessage]>([])
    private let reloadRequested = Mutex(false)
    private let currentFocus = Mutex(ConsoleFocus())
    /// Ends the store watcher's wait, so a reload or a new focus is read at once.
    private let wake = Mutex<(@Sendable () -> Void)?>(nil)

    init() throws(SlipwayError) {
        terminalWake = try WakePipe()
    }

    func post(_ message: ConsoleMessage) {
        let wasEmpty = messages.withLock { pending in
            defer { pending.append(message) }
            return pending.isEmpty
        }
        // One byte for a batch is enough: the terminal thread drains the pipe before it takes
        // the messages, so a message posted behind others is taken with them.
        if wasEmpty { terminalWake.wake() }
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
        wake.withLock { $0 }?()
    }

    /// Has `body` called on each reload request and change of focus.
    func wakeWatcher(with body: @escaping @Sendable () -> Void) {
        wake.withLock { $0 = body }
    }

    func takeReloadRequest() -> Bool {
        reloadRequested.withLock { requested in
            defer { requested = false }
            return requested
        }
    }

    var focus: ConsoleFocus {
        get { currentFocus.withLock { $0 } }
        set {
            let changed = currentFocus.withLock { focus in
                defer { focus = newValue }
                return focus != newValue
            }
            if changed { wake.withLock { $0 }?() }
        }
    }
}
