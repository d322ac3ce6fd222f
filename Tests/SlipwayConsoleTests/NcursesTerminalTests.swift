import CNcursesw
import Foundation
import Testing
@testable import SlipwayConsole
import SlipwayCore

#if canImport(Glibc)
import Glibc
#endif

/// Draws to `/dev/null` as xterm-256color and reads the cells back from ncurses' screen.
/// Serialized: ncurses has one current screen per process.
@Suite(.serialized) struct NcursesTerminalTests {
    private func open(wake: WakePipe? = nil) throws -> NcursesTerminal {
        try NcursesTerminal(device: "/dev/null", terminalType: "xterm-256color", environment: ["NO_COLOR": "1"], wake: wake)
    }

    private func screenLine(_ row: Int, width: Int) -> String {
        var buffer = [wchar_t](repeating: 0, count: width + 1)
        let count = mvwinnwstr(slipway_stdscr(), Int32(row), 0, &buffer, Int32(width))
        let scalars = buffer.prefix(Int(max(0, count))).compactMap { Unicode.Scalar(UInt32(bitPattern: $0)) }
        var line = String(String.UnicodeScalarView(scalars))
        while line.last == " " { line.removeLast() }
        return line
    }

    private func isReverse(row: Int, column: Int) -> Bool {
        wmove(slipway_stdscr(), Int32(row), Int32(column))
        return winch(slipway_stdscr()) & slipway_attr_reverse != 0
    }

    @Test func drawsAFrameCellForCell() throws {
        let terminal = try open()
        defer { terminal.close() }
        let size = terminal.size
        var state = Fixtures.state(size: size)
        state = Fixtures.pressing([.character("j")], in: state)
        let frame = Console.render(state)
        terminal.draw(frame)
        for row in [0, 2, 3, 4, size.rows - 1] {
            #expect(screenLine(row, width: size.columns) == frame.lines[row])
        }
        let billing = try #require(frame.line(containing: "billing")).row
        #expect(isReverse(row: billing, column: 0))
        #expect(!isReverse(row: billing - 1, column: 0))
    }

    @Test func redrawsWhatChangedAndClearsAfterAResize() throws {
        let terminal = try open()
        defer { terminal.close() }
        let state = Fixtures.state(size: terminal.size)
        terminal.draw(Console.render(state))
        let moved = Fixtures.pressing([.character("G")], in: state)
        terminal.draw(Console.render(moved))
        #expect(!isReverse(row: 3, column: 0))
        #expect(isReverse(row: 5, column: 0))
        let small = Console.update(moved, .resize(rows: 9, columns: 40)).0
        terminal.draw(Console.render(small))
        #expect(screenLine(4, width: terminal.size.columns) == "    terminal too small (need 60x15)")
        #expect(screenLine(0, width: terminal.size.columns).isEmpty)
    }

    /// ncurses reads ahead (the rest of an escape sequence, several keys in one read) into a
    /// buffer `poll` cannot see: every key held there is read after one wait, not one per wait.
    @Test func everyKeyNcursesHoldsIsReadWithoutWaiting() throws {
        let terminal = try open()
        defer { terminal.close() }
        // `unget_wch` pushes onto the front of ncurses' buffer: pushed last, read first.
        for character in "kjq".unicodeScalars { unget_wch(wchar_t(bitPattern: character.value)) }
        #expect(terminal.readAvailable() == [.key(.character("q")), .key(.character("j")), .key(.character("k"))])
        #expect(terminal.readAvailable().isEmpty)
    }

    /// SIGWINCH may land on any thread: the terminal thread is woken through the pipe, and ncurses
    /// (whose handler still runs first) then reads a resize. Sent to the process, not `raise`d:
    /// this test's own thread may block signals, as the concurrency runtime's threads do.
    @Test func aResizeWakesTheTerminalThreadAndReadsAsAResize() throws {
        let wake = try WakePipe()
        let terminal = try open(wake: wake)
        let idle = try WakePipe()
        kill(getpid(), SIGWINCH)
        #expect(InputWait.wait(terminal: idle.readDescriptor, wake: wake.readDescriptor, milliseconds: 60_000) == .woken)
        let size = terminal.size
        #expect(terminal.readAvailable() == [.resize(rows: size.rows, columns: size.columns)])
        // Closed, the terminal puts the handler it chained onto back in place.
        var chained = sigaction()
        sigaction(SIGWINCH, nil, &chained)
        terminal.close()
        var restored = sigaction()
        sigaction(SIGWINCH, nil, &restored)
        #expect(Self.address(of: restored) != Self.address(of: chained))
    }

    private static func address(of action: sigaction) -> Int {
        unsafeBitCast(action.__sigaction_handler.sa_handler, to: Int.self)
    }

    @Test func anUnknownTerminalIsAnErrorNotAnExit() {
        #expect(throws: SlipwayError.self) {
            try NcursesTerminal(device: "/dev/null", terminalType: "no-such-terminal-type", environment: [:])
        }
    }

    @Test func aMissingDeviceIsAnError() {
        #expect(throws: SlipwayError.self) {
            try NcursesTerminal(device: "/nonexistent/tty", environment: [:])
        }
    }
}
