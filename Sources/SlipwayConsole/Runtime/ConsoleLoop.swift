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

/// The terminal thread's loop: wait for a key, a posted message or the next second, fold
/// messages through `update`, hand effects to the runtime, and redraw only when the state
/// changed (the clock changes it once a second).
struct ConsoleLoop {
    /// The longest wait, also when the system clock jumps back: the clock on screen ticks once a second.
    static let longestWait: Int32 = 1000

    let header: ConsoleHeader
    let settings: ConsoleSettings
    let mailbox: ConsoleMailbox
    let sender: RequestSender
    let past: PastLoader
    let signals: SignalWatch

    func run() throws -> ConsoleExit {
        let terminal = try NcursesTerminal(theme: settings.usesColor ? settings.theme : .standard, wake: mailbox.terminalWake)
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
            let readiness = InputWait.wait(
                terminal: terminal.inputDescriptor, wake: mailbox.terminalWake.readDescriptor,
                milliseconds: Self.wait(until: second + 1))
            // A hung-up terminal answers every wait at once: without these checks a console that
            // missed the SIGHUP would spin with nowhere to draw (the one each second is for a
            // hang-up that `poll` does not report).
            if readiness.contains(.hungUp), !terminal.isConnected { return .signal(SIGHUP) }
            // Drained before the messages are taken, so a message posted after this wakes the next wait.
            if readiness.contains(.woken) { mailbox.terminalWake.drain() }
            var messages = terminal.readAvailable()
            messages += mailbox.takeMessages()
            let now = Date()
            if Self.second(of: now) != second {
                second = Self.second(of: now)
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

    /// Milliseconds to wait: until the clock shows `second`, so the tick lands on time, and at
    /// most `longestWait`. Keys and posted messages end the wait sooner.
    static func wait(until second: Int, now: Date = Date()) -> Int32 {
        let milliseconds = (Double(second) - now.timeIntervalSince1970) * 1000
        return Int32(min(Double(longestWait), max(1, milliseconds.rounded(.up))))
    }
}
