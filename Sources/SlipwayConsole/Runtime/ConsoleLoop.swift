import Foundation
import SlipwayCore

/// How the console ended.
public enum ConsoleExit: Equatable, Sendable {
    /// The operator quit.
    case quit
    /// SIGINT, SIGTERM or SIGHUP arrived (SIGHUP also stands for a terminal found gone); the
    /// terminal was restored first.
    case signal(Int32)
}

/// The terminal thread's loop: read a key or time out, fold messages through `update`,
/// hand effects to the runtime, and redraw only when the state changed (the clock changes it
/// once a second).
struct ConsoleLoop {
    /// The longest wait for a key, so messages from the watcher show within this time.
    static let longestWait: Int32 = 250
    /// The longest wait for a key until the first fleet has arrived: a posted message does not end
    /// the wait, and the first frame is what the operator is waiting for (about 100 ms sooner on the bench).
    static let firstLoadWait: Int32 = 10

    let header: ConsoleHeader
    let settings: ConsoleSettings
    let mailbox: ConsoleMailbox
    let sender: RequestSender
    let past: PastLoader
    let signals: SignalWatch

    func run() throws -> ConsoleExit {
        let terminal = try NcursesTerminal(theme: settings.usesColor ? settings.theme : .standard)
        defer { terminal.close() }
        var state = ConsoleState(
            header: header, readOnly: settings.readOnly, size: terminal.size, now: Date(), symbols: terminal.symbols,
            bindings: settings.bindings)
        var drawn: ConsoleState?
        var drawnEvents = DrawnEventLog()
        var second = Self.second(of: state.now)
        while true {
            if let number = signals.caught { return .signal(number) }
            if drawn != state {
                terminal.draw(Console.render(state))
                drawnEvents?.drew(state)
                drawn = state
                mailbox.focus = state.focus
            }
            var messages: [ConsoleMessage] = []
            if let input = terminal.read(timeout: Self.keyWait(loaded: state.hasLoaded, until: second + 1)) {
                messages.append(input)
            }
            messages += mailbox.takeMessages()
            let now = Date()
            if Self.second(of: now) != second {
                second = Self.second(of: now)
                // A hung-up terminal answers every read at once: without this check a console
                // that missed the SIGHUP would spin with nowhere to draw.
                guard terminal.isConnected else { return .signal(SIGHUP) }
                messages.append(.tick(now))
            }
            for message in messages {
                let effects: [ConsoleEffect]
                (state, effects) = Console.update(state, message)
                for effect in effects {
                    switch effect {
                    case .reload: mailbox.requestReload()
                    case .request(let request):
                        // Off the terminal thread: keys are answered while the engine works.
                        let sender = sender
                        let mailbox = mailbox
                        Task.detached {
                            await sender.send(request) { line in
                                mailbox.post(.actionStarted(line))
                                mailbox.requestReload()
                            }
                        }
                    case .loadPast(let target):
                        // A fold of up to a checkpoint interval of events: never on the terminal thread.
                        let past = past
                        let mailbox = mailbox
                        Task.detached { mailbox.post(past.load(target)) }
                    case .quit: return .quit
                    case .fail(let reason): throw SlipwayError.failure(reason)
                    }
                }
            }
        }
    }

    private static func second(of date: Date) -> Int {
        Int(date.timeIntervalSince1970.rounded(.down))
    }

    /// Milliseconds to wait for a key: until the clock shows `second`, so the tick lands on time,
    /// and at most `longestWait`, or `firstLoadWait` before the first load.
    static func keyWait(loaded: Bool, until second: Int, now: Date = Date()) -> Int32 {
        let milliseconds = (Double(second) - now.timeIntervalSince1970) * 1000
        let longest = loaded ? longestWait : firstLoadWait
        return Int32(min(Double(longest), max(1, milliseconds.rounded(.up))))
    }
}
