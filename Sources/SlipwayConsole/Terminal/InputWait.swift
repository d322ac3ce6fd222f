import Foundation

#if canImport(Glibc)
import Glibc
#endif

/// The terminal thread's one wait: for the terminal's input, a wake (a posted message, a signal,
/// a resize) or a timeout, whichever comes first. `poll` sees only the bytes still in the
/// kernel; keys ncurses already read ahead are taken by `NcursesTerminal.readAvailable` after
/// every wait.
enum InputWait {
    /// What ended the wait; empty after a timeout or a signal that interrupted it.
    struct Readiness: OptionSet, Sendable {
        let rawValue: Int
        /// The terminal has bytes to read.
        static let input = Readiness(rawValue: 1 << 0)
        /// Something was written to the wake pipe.
        static let woken = Readiness(rawValue: 1 << 1)
        /// The terminal hung up or its descriptor failed: reads will answer at once from now on.
        static let hungUp = Readiness(rawValue: 1 << 2)
    }

    static func wait(terminal: Int32, wake: Int32, milliseconds: Int32) -> Readiness {
        var descriptors = [
            pollfd(fd: terminal, events: Int16(POLLIN), revents: 0),
            pollfd(fd: wake, events: Int16(POLLIN), revents: 0),
        ]
        // EINTR (a signal) answers as a timeout would: the caller reads what there is either way.
        guard poll(&descriptors, nfds_t(descriptors.count), milliseconds) > 0 else { return [] }
        var readiness: Readiness = []
        let terminalEvents = Int32(descriptors[0].revents)
        if terminalEvents & Int32(POLLIN) != 0 { readiness.insert(.input) }
        if terminalEvents & Int32(POLLHUP | POLLERR | POLLNVAL) != 0 { readiness.insert(.hungUp) }
        if Int32(descriptors[1].revents) & Int32(POLLIN) != 0 { readiness.insert(.woken) }
        return readiness
    }
}
