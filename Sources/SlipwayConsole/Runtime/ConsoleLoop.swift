import Foundation

/// The terminal thread's loop: read a key or time out, fold messages through `update`,
/// perform effects, and redraw only when the state changed (the clock changes it once a second).
struct ConsoleLoop {
    /// The longest wait for a key, so messages from the watcher show within this time.
    static let longestWait: Int32 = 250

    let header: ConsoleHeader
    let readOnly: Bool
    let mailbox: ConsoleMailbox

    func run() throws {
        let terminal = try NcursesTerminal()
        defer { terminal.close() }
        var state = ConsoleState(
            header: header, readOnly: readOnly, size: terminal.size, now: Date(), symbols: terminal.symbols)
        var drawn: ConsoleState?
        var second = Self.second(of: state.now)
        while true {
            if drawn != state {
                terminal.draw(Console.render(state))
                drawn = state
            }
            var messages: [ConsoleMessage] = []
            if let input = terminal.read(timeout: Self.wait(until: second + 1)) {
                messages.append(input)
            }
            messages += mailbox.takeMessages()
            let now = Date()
            if Self.second(of: now) != second {
                second = Self.second(of: now)
                messages.append(.tick(now))
            }
            for message in messages {
                let effects: [ConsoleEffect]
                (state, effects) = Console.update(state, message)
                for effect in effects {
                    switch effect {
                    case .reload: mailbox.requestReload()
                    case .quit: return
                    }
                }
            }
        }
    }

    private static func second(of date: Date) -> Int {
        Int(date.timeIntervalSince1970.rounded(.down))
    }

    /// Milliseconds until the clock shows `second`, so the tick lands on time.
    private static func wait(until second: Int) -> Int32 {
        let milliseconds = (Double(second) - Date().timeIntervalSince1970) * 1000
        return Int32(min(Double(longestWait), max(1, milliseconds.rounded(.up))))
    }
}
