import Foundation
import Testing
@testable import SlipwayConsole

@Suite struct SmallTerminalTests {
    @Test(arguments: [TerminalSize(rows: 24, columns: 59), TerminalSize(rows: 14, columns: 80)])
    func tooSmallATerminalShowsAMessage(size: TerminalSize) {
        let frame = Console.render(Fixtures.state(size: size))
        #expect(frame.text.trimmingCharacters(in: .whitespacesAndNewlines) == "terminal too small (need 60x15)")
    }

    @Test func theMinimumSizeShowsTheFleet() {
        let frame = Console.render(Fixtures.state(size: TerminalSize(rows: 15, columns: 60)))
        #expect(frame.line(containing: "accounts") != nil)
        #expect(frame.line(containing: "too small") == nil)
    }

    @Test func aZeroSizedTerminalRendersNothing() {
        #expect(Console.render(Fixtures.state(size: TerminalSize(rows: 0, columns: 0))).text.isEmpty)
    }

    @Test func resizeChangesTheFrame() {
        let (state, _) = Console.update(Fixtures.state(), .resize(rows: 12, columns: 70))
        let frame = Console.render(state)
        #expect(frame.rows == 12 && frame.columns == 70)
    }
}
