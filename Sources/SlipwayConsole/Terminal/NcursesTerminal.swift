import CNcursesw
import Foundation
import SlipwayCore

/// The only code that talks to ncurses: opens the terminal, copies frames to it and reads
/// keys. Not thread-safe, like ncurses itself: use it from one thread only.
final class NcursesTerminal {
    let symbols: SymbolSet
    private let screen: OpaquePointer
    private let tty: UnsafeMutablePointer<FILE>
    private let window: UnsafeMutablePointer<WINDOW>
    /// False under `NO_COLOR` and on monochrome terminals: then roles draw as plain text.
    private let usesColor: Bool
    private var previous: Frame?
    private var isOpen = true

    /// Opens `device` with `newterm`, which, unlike `initscr`, reports a bad terminal instead
    /// of exiting the process. Tests draw to `/dev/null` as `xterm-256color` and read back.
    /// With `wake`, a resize also wakes the terminal thread's `InputWait` through it.
    init(
        device: String = "/dev/tty", terminalType: String? = nil,
        environment: [String: String] = ProcessInfo.processInfo.environment, theme: Theme = .standard,
        wake: WakePipe? = nil
    ) throws(SlipwayError) {
        slipway_adopt_environment_locale()
        symbols = slipway_locale_is_utf8() != 0 ? .unicode : .ascii
        guard let tty = fopen(device, "r+") else {
            throw .failure("the console cannot open \(device): \(String(cString: strerror(errno)))")
        }
        guard let screen = newterm(terminalType, tty, tty) else {
            fclose(tty)
            let name = (terminalType ?? environment["TERM"]).map { "'\($0)'" } ?? "(TERM is not set)"
            throw .failure("the console cannot use terminal \(name): set TERM to one in terminfo, such as xterm-256color")
        }
        self.tty = tty
        self.screen = screen
        window = slipway_stdscr()
        cbreak()
        noecho()
        keypad(window, true)
        // Reads never wait: the terminal thread waits in `InputWait`, beside its wake pipe.
        wtimeout(window, 0)
        // Without this a lone `esc` waits a second to be told apart from an arrow key.
        set_escdelay(25)
        curs_set(0)
        usesColor = has_colors() && environment["NO_COLOR", default: ""].isEmpty
        if usesColor {
            start_color()
            use_default_colors()
            let available = Int(slipway_colors())
            let background = Int16(theme.background.number(available: available))
            for role in ColorRole.allCases {
                let foreground = theme.colors[role].map { Int16($0.number(available: available)) } ?? -1
                init_pair(Int16(role.rawValue + 1), foreground, background)
            }
        }
        // After `newterm`, which installs ncurses' own handler.
        if let wake { ResizeSignal.chain(waking: wake.writeDescriptor) }
    }

    deinit { close() }

    var size: TerminalSize { TerminalSize(rows: Int(slipway_lines()), columns: Int(slipway_cols())) }

    /// Writes the cells that differ from the last frame (all of them after a resize) and lets
    /// ncurses send the terminal only what changed on screen.
    func draw(_ frame: Frame) {
        let full = previous.map { $0.rows != frame.rows || $0.columns != frame.columns } ?? true
        if full { werase(window) }
        for row in 0..<frame.rows {
            for column in 0..<frame.columns {
                let cell = frame[row, column]
                if !full, let previous, previous[row, column] == cell { continue }
                put(cell, row: row, column: column)
            }
        }
        wrefresh(window)
        previous = frame
    }

    /// False once the terminal hung up (its tmux server or emulator went away): the kernel
    /// then fails its ioctls with EIO (a device that is no terminal at all, as in tests, is not hung up).
    var isConnected: Bool {
        var attributes = termios()
        return tcgetattr(fileno(tty), &attributes) == 0 || errno != EIO
    }

    /// The descriptor the terminal's input arrives on, for `InputWait`.
    var inputDescriptor: Int32 { fileno(tty) }

    /// Every key and resize that has come in, oldest first, without waiting (but for the rest
    /// of an escape sequence, up to its short delay). ncurses may hold keys it already read from
    /// the terminal in a buffer of its own, where `poll` does not see them: so this reads until
    /// ncurses has nothing, not one key per wait.
    func readAvailable() -> [ConsoleMessage] {
        var messages: [ConsoleMessage] = []
        while true {
            var code: wint_t = 0
            let status = wget_wch(window, &code)
            guard status != slipway_err() else { return messages }
            if let message = TerminalInput.message(status: status, code: UInt32(code), size: { size }) {
                messages.append(message)
            }
        }
    }

    /// Restores the terminal; safe to call more than once.
    func close() {
        guard isOpen else { return }
        isOpen = false
        ResizeSignal.unchain()
        endwin()
        delscreen(screen)
        fclose(tty)
    }

    private func put(_ cell: Cell, row: Int, column: Int) {
        let attributes: attr_t = switch cell.style.emphasis {
        case .normal: slipway_attr_normal
        case .bold: slipway_attr_bold
        case .reverse: slipway_attr_reverse
        case .dim: slipway_attr_dim
        }
        // Pair 0 cannot be redefined, so plain text takes its own pair for a theme's background.
        let pair = usesColor ? Int16(cell.style.role.rawValue + 1) : 0
        _ = slipway_put_cell(Int32(row), Int32(column), wchar_t(bitPattern: cell.scalar.value), attributes, pair)
    }
}
