import Foundation

#if canImport(Glibc)
import Glibc
#endif

/// Chains a wake onto ncurses' SIGWINCH handler. ncurses only sets a flag, which it turns into
/// `KEY_RESIZE` at its next read; the signal may land on any thread of the process, so without a
/// wake the terminal thread would sleep through a resize until its wait timed out.
enum ResizeSignal {
    // Read by the handler, which may run on any thread: written only while it is not installed.
    nonisolated(unsafe) private static var wakeDescriptor: Int32 = -1
    nonisolated(unsafe) private static var previous = sigaction()
    nonisolated(unsafe) private static var previousHandler: (@convention(c) (Int32) -> Void)?
    nonisolated(unsafe) private static var isChained = false

    /// Installs the chained handler: it calls the handler in place (ncurses') and writes a byte to
    /// `descriptor`. Not for a handler taking `siginfo` (ncurses' does not): that one is left alone.
    static func chain(waking descriptor: Int32) {
        guard !isChained, sigaction(SIGWINCH, nil, &previous) == 0, previous.sa_flags & SA_SIGINFO == 0 else { return }
        let handler = previous.__sigaction_handler.sa_handler
        // SIG_DFL (0) and SIG_IGN (1) are no functions to call.
        previousHandler = unsafeBitCast(handler, to: Int.self) > 1 ? handler : nil
        wakeDescriptor = descriptor
        var action = previous
        action.__sigaction_handler.sa_handler = { number in
            let savedErrno = errno
            ResizeSignal.previousHandler?(number)
            var byte: UInt8 = 1
            _ = write(ResizeSignal.wakeDescriptor, &byte, 1)
            errno = savedErrno
        }
        isChained = sigaction(SIGWINCH, &action, nil) == 0
    }

    /// Puts the handler in place before `chain` back.
    static func unchain() {
        guard isChained else { return }
        sigaction(SIGWINCH, &previous, nil)
        isChained = false
    }
}
