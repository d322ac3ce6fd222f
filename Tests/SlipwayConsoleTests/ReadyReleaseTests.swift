import Foundation
import Testing
@testable import SlipwayConsole
@testable import SlipwayCore

/// A release deployed with `auto_promote: false` waits, healthy, in the idle colour: the fleet
/// and component screens show it, and the switch action promotes it.
@Suite struct ReadyReleaseTests {
    static let now = Fixtures.now
    static let ready = DeploymentState.ReadyRelease(version: "3f9a2c1b7d4e", commit: "3f9a2c1b7d4e9", color: "green", since: now - 30)

    /// accounts in staging: blue 0c1d2e3f4a5b live, green 3f9a2c1b7d4e waiting.
    static func state(size: TerminalSize = TerminalSize(rows: 24, columns: 80), symbols: SymbolSet = .unicode) -> ConsoleState {
        var rows = Fixtures.fleet
        rows[1] = Fixtures.row("accounts", "staging", version: "0c1d2e3f4a5b", color: "blue", health: .healthy, technology: "swift")
        rows[1].ready = ready
        var staging = DeploymentState(component: "accounts", environment: "staging")
        staging.liveVersion = "0c1d2e3f4a5b"
        staging.liveColor = "blue"
        staging.ready = ready
        let snapshot = ConsoleSnapshot(
            rows: rows, runs: Fixtures.runs, states: [.init(component: "accounts", environment: "staging"): staging],
            slots: [RichFixtures.slot("staging", "blue", "0c1d2e3f4a5b"), RichFixtures.slot("staging", "green", "3f9a2c1b7d4e")])
        let initial = ConsoleState(header: Fixtures.header, size: size, now: now, symbols: symbols)
        return Console.update(initial, .loaded(snapshot, Fixtures.header)).0
    }

    static let sizes = [TerminalSize(rows: 24, columns: 80), TerminalSize(rows: 60, columns: 200)]
    static let cases: [(TerminalSize, SymbolSet)] = sizes.flatMap { size in [SymbolSet.unicode, .ascii].map { (size, $0) } }

    @Test(arguments: cases)
    func theFleetMarksTheWaitingReleaseInItsColour(size: TerminalSize, symbols: SymbolSet) throws {
        let frame = Console.render(Self.state(size: size, symbols: symbols))
        #expect(frame.lines[1].contains("1 \(symbols.waiting) waiting for switch, 3 components"), "\(frame.text)")
        let accounts = try #require(frame.line(containing: "accounts"))
        let column = try #require(Array(accounts.text).firstIndex(of: Character(symbols.waiting)), "\(accounts.text)")
        #expect(frame[accounts.row, column].style.role == .green)
        // In the staging group, after the live version and colour.
        let staging = try #require(accounts.text.range(of: "0c1d2e3f4a5b blue"))
        #expect(accounts.text.distance(from: accounts.text.startIndex, to: staging.upperBound) < column)
        let billing = try #require(frame.line(containing: "billing")).text
        #expect(!billing.contains(symbols.waiting), "only accounts has a release waiting")
    }

    @Test(arguments: cases)
    func theComponentScreenSaysWhichReleaseWaits(size: TerminalSize, symbols: SymbolSet) throws {
        let frame = Console.render(Fixtures.pressing([.enter], in: Self.state(size: size, symbols: symbols)))
        let staging = try #require(frame.lines.first { $0.hasPrefix("staging") && $0.contains("blue") && $0.contains("healthy") })
        #expect(staging.contains("green 3f9a2c1b7d4e ready"), "\(frame.text)")
        if size.columns >= 120 { #expect(staging.hasSuffix("green 3f9a2c1b7d4e ready, waiting for switch")) }
        let row = try #require(frame.line(containing: "green 3f9a2c1b7d4e ready")).row
        let at = try #require(frame.lines[row].range(of: "green 3f9a2c1b7d4e ready"))
        #expect(frame[row, frame.lines[row].distance(from: frame.lines[row].startIndex, to: at.lowerBound)].style.role == .green)
        let slot = try #require(frame.line(containing: "staging      green  3f9a2c1b7d4e")).text
        #expect(slot.contains("running, idle, waiting for switch"), "\(slot)")
        let live = try #require(frame.line(containing: "staging      blue   0c1d2e3f4a5b")).text
        #expect(live.contains("running, live"))
        if symbols == .ascii {
            let ascii = frame.text.allSatisfy { $0.isASCII }
            #expect(ascii, "\(frame.text)")
        }
    }

    @Test func theSwitchActionPromotesIt() throws {
        let state = Fixtures.pressing([.enter, .character("j"), .character("s")], in: Self.state())
        let pending = try #require(state.pending)
        #expect(pending.summary == "promote accounts 3f9a2c1b7d4e in staging: switch traffic to green")
        #expect(Console.render(state).text.contains("promote accounts 3f9a2c1b7d4e in staging: switch traffic to green? y/enter"))
        let (confirmed, effects) = Console.update(state, .key(.character("y")))
        #expect(effects == [.request(.run(.switchTraffic(.init(component: "accounts", environment: "staging", color: nil))))])
        #expect(confirmed.pending == nil)
    }

    @Test func aSwitchWithNothingWaitingStillSaysSwitch() throws {
        let state = Fixtures.pressing([.enter, .character("j"), .character("s")], in: RichFixtures.state())
        #expect(try #require(state.pending).summary.hasPrefix("switch accounts in staging: "))
    }

    @Test func readOnlyRefusesThePromotion() {
        var state = Self.state()
        state.readOnly = true
        let refused = Fixtures.pressing([.enter, .character("j"), .character("s")], in: state)
        #expect(refused.pending == nil)
        #expect(refused.statusMessage?.hasPrefix("read-only") == true)
    }
}
