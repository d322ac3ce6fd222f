import Dispatch
import Foundation
import Synchronization

/// Catches SIGINT, SIGTERM and SIGHUP so the terminal thread can restore the terminal before
/// exiting, instead of the process dying with the terminal left in raw mode. SIGHUP (the
/// terminal or tmux server went away) is caught rather than left to its default because a
/// parent that ignores it (a test runner, nohup) would pass the ignoring on, and the console
/// would go on running with no terminal.
final class SignalWatch: @unchecked Sendable {
    private let received = Atomic<Int32>(0)
    /// Kept so the sources live as long as the watch; written once, before any handler runs.
    private var sources: [any DispatchSourceSignal] = []

    /// Starts watching; `wake` is called after each signal caught, so the terminal thread sees it at once.
    func start(wake: @escaping @Sendable () -> Void) {
        for number in [SIGINT, SIGTERM, SIGHUP] {
            signal(number, SIG_IGN)
            let source = DispatchSource.makeSignalSource(signal: number, queue: .global())
            source.setEventHandler { [self] in
                _ = received.compareExchange(expected: 0, desired: number, ordering: .relaxed)
                wake()
            }
            source.resume()
            sources.append(source)
        }
    }

    /// The first signal caught, if any.
    var caught: Int32? {
        let number = received.load(ordering: .relaxed)
        return number == 0 ? nil : number
    }
}
