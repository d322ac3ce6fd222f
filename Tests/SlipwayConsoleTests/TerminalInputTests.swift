import CNcursesw
import Testing
@testable import SlipwayConsole

@Suite struct TerminalInputTests {
    private func message(status: Int32, code: Int32) -> ConsoleMessage? {
        TerminalInput.message(status: status, code: UInt32(code)) { TerminalSize(rows: 30, columns: 90) }
    }

    @Test func functionKeysBecomeConsoleKeys() {
        #expect(message(status: slipway_key_code_yes(), code: slipway_key_up()) == .key(.up))
        #expect(message(status: slipway_key_code_yes(), code: slipway_key_npage()) == .key(.pageDown))
    }

    @Test func charactersBecomeConsoleKeys() {
        #expect(message(status: 0, code: 0x6A) == .key(.character("j")))
        #expect(message(status: 0, code: 0x25CF) == .key(.character("●")))
        #expect(message(status: 0, code: 27) == .key(.escape))
        #expect(message(status: 0, code: 10) == .key(.enter))
        #expect(message(status: 0, code: 127) == .key(.backspace))
    }

    @Test func aResizeReportsTheNewSize() {
        #expect(message(status: slipway_key_code_yes(), code: slipway_key_resize()) == .resize(rows: 30, columns: 90))
    }

    @Test func aTimeoutIsNoMessage() {
        #expect(message(status: slipway_err(), code: 0) == nil)
    }
}
