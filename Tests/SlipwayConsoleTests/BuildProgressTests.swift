import Foundation
import SlipwayCore
import Testing
@testable import SlipwayConsole

/// Issue 16 item 15: the output of a running run whose build counts its steps shows a bar with
/// the rate and the time left on the log pane's last row; a finished run's output shows none.
@Suite struct BuildProgressTests {
    static func output(_ keys: [ConsoleKey], _ lines: [String]) throws -> (ConsoleState, [String]) {
        var state = Fixtures.pressing(keys, in: Fixtures.state())
        let source = try #require(state.log?.source)
        state = Console.update(state, .logLoaded(source, lines.map { LogLine(time: Fixtures.now, text: $0) }, replacing: true)).0
        return (state, Console.render(state).lines)
    }

    @Test func aRunningBuildShowsItsStepsRateAndTimeLeft() throws {
        // The first run of the fixture: billing, running for 12 s.
        let (state, screen) = try Self.output([.character("2"), .enter], [
            "==> build: release 3f9a2c1b7d4e", "[1/8] Compiling Billing Invoice.swift", "[3/8] Compiling Billing Ledger.swift",
            "warning: unused variable",
        ])
        #expect(state.screen == .log)
        let bar = try #require(screen.first { $0.hasPrefix("build ▕") }, "\(screen)")
        // 3 steps in 12 s: 0.25 a second, 5 steps left take 20 s.
        #expect(bar.contains("37%  3/8 steps  0.2/s  20s left"), "\(bar)")
        #expect(screen.contains { $0.hasPrefix("warning: unused variable") }, "the newest output stays in sight above the bar")
    }

    @Test func aFinishedRunOrOutputWithoutCountsHasNoBar() throws {
        let finished = try Self.output([.character("2"), .character("j"), .enter], ["[3/8] Compiling Billing Ledger.swift"]).1
        #expect(!finished.contains { $0.hasPrefix("build ") }, "\(finished)")
        let uncounted = try Self.output([.character("2"), .enter], ["npm ci", "added 312 packages"]).1
        #expect(!uncounted.contains { $0.hasPrefix("build ") }, "\(uncounted)")
    }
}
