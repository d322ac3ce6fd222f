import Testing
@testable import SlipwayConsole

/// Every screen rendered without a terminal, at 80x24 and 200x60, with Unicode and ASCII symbols.
@Suite struct ScreenFrameTests {
    static let sizes = [TerminalSize(rows: 24, columns: 80), TerminalSize(rows: 60, columns: 200)]
    static let cases: [(ConsoleScreen, TerminalSize, SymbolSet)] = ConsoleScreen.allCases.flatMap { screen in
        sizes.flatMap { size in [SymbolSet.unicode, .ascii].map { (screen, size, $0) } }
    }

    /// Text each screen must show, whatever the size.
    static func expected(on screen: ConsoleScreen) -> [String] {
        switch screen {
        case .fleet: ["COMPONENT", "accounts", "billing", "landing-page", "3f9a2c1b7d4e"]
        case .runs: ["r20261129093000-0003", "running", "failed"]
        case .health: ["PROBED", "P95", "ERRORS", "REQ/ERR", "3.5ms", "1.0%", "b 120/0 g 80/2", "1m ago"]
        case .audit: ["ACTOR", "OUTCOME", "succeeded", "to green (3f9a2c1b7d4e)", "started 3f9a2c1b7d4e"]
        case .alerts: ["SEVERITY", "no alert is firing", "0 firing"]
        case .detail: ["deploy by ana", "outcome", "succeeded", "environment", "staging"]
        case .drift: ["DEVELOPMENT", "accounts", "3f9a2c1b7d4e 2.0d", "0c1d2e3f4a5b 9.0d 3 behind"]
        case .approvals: ["0 requests awaiting approval", "no request awaits approval"]
        case .help: ["KEYS", "ACTION", "keys of the fleet screen", "quit"]
        case .component: ["accounts in 3 environments", "SLOTS", "LAST EVENTS", "blue 0%  green 100%", "running, live"]
        case .releases: ["accounts in staging: 2 releases", "3f9a2c1b7d4e", "0c1d2e3f4a5b", "green live", "bo"]
        case .log: ["output of run r20261129093000-0003", "follow on", "==> deploy: start in the green slot"]
        }
    }

    @Test(arguments: cases)
    func drawsTheScreen(screen: ConsoleScreen, size: TerminalSize, symbols: SymbolSet) {
        let state = RichFixtures.on(screen, RichFixtures.state(size: size, symbols: symbols))
        #expect(state.screen == screen)
        let frame = Console.render(state)
        #expect(frame.rows == size.rows && frame.columns == size.columns)
        for text in Self.expected(on: screen) {
            #expect(frame.text.contains(text), "\(screen) at \(size.columns)x\(size.rows) lacks '\(text)':\n\(frame.text)")
        }
        #expect(frame.lines[0].hasPrefix("slipway"))
        #expect(!(frame.lines.last ?? "").isEmpty, "the footer shows key hints")
        if symbols == .ascii {
            let ascii = frame.text.allSatisfy { $0.isASCII }
            #expect(ascii, "non-ASCII in ASCII mode:\n\(frame.text)")
        }
    }

    /// A component folder the workspace set aside is said in the header, on every screen.
    @Test func theHeaderNamesComponentFoldersSetAside() {
        var state = RichFixtures.state(size: TerminalSize(rows: 24, columns: 120), symbols: .unicode)
        state.header.skipped = ["services/sp ace", "services/web"]
        for screen in [ConsoleScreen.fleet, .runs, .health] {
            let frame = Console.render(RichFixtures.on(screen, state))
            #expect(frame.line(containing: "⚠ skipped: services/sp ace, services/web")?.row == 0, "\(screen): \(frame.text)")
        }
        #expect(!Console.render(RichFixtures.state(size: TerminalSize(rows: 24, columns: 120))).text.contains("skipped"))
    }

    @Test func unicodeModeDrawsHealthAndProgressSymbols() {
        let fleet = Console.render(RichFixtures.state(size: TerminalSize(rows: 24, columns: 120), symbols: .unicode)).text
        #expect(fleet.contains("●") && fleet.contains("⟳") && fleet.contains("✗"))
        let ascii = Console.render(RichFixtures.state(size: TerminalSize(rows: 24, columns: 120), symbols: .ascii)).text
        #expect(ascii.contains(" o ") && ascii.contains("*") && ascii.contains(" x "))
    }

    @Test func theComponentScreenSelectsAnEnvironmentAndShowsBothSlots() throws {
        let state = Fixtures.pressing([.character("j")], in: RichFixtures.on(.component, RichFixtures.state()))
        let frame = Console.render(state)
        let staging = try #require(frame.line(containing: "staging      green"))
        #expect(frame.reverseRows == [staging.row])
        #expect(frame.line(containing: "staging      blue   0c1d2e3f4a5b")?.text.contains("running, idle") == true)
        #expect(frame.line(containing: "staging      green  3f9a2c1b7d4e")?.text.contains("running, live, healthy") == true)
    }

    @Test func theComponentScreenSaysEachSlotsHostOnlyWhenSlotsRunOnSeveralHosts() throws {
        let wide = TerminalSize(rows: 60, columns: 200)
        let one = Console.render(RichFixtures.on(.component, RichFixtures.state(size: wide)))
        #expect(!one.text.contains(" on build-1"), "one host: as before")

        var state = RichFixtures.state(size: wide)
        var elsewhere = RichFixtures.slot("staging", "green", "3f9a2c1b7d4e")
        elsewhere.host = "build-2"
        state.snapshot.slots.append(elsewhere)
        let frame = Console.render(RichFixtures.on(.component, state))
        let greens = frame.lines.filter { $0.hasPrefix("staging      green  3f9a2c1b7d4e") }
        #expect(greens.count == 2, "\(frame.text)")
        #expect(greens.first?.contains("restarts 0  on build-1") == true && greens.last?.contains("restarts 0  on build-2") == true, "\(frame.text)")
    }

    @Test func theHealthScreenShowsADashForFiguresItDoesNotHave() throws {
        let frame = Console.render(RichFixtures.on(.health, RichFixtures.state(size: TerminalSize(rows: 24, columns: 120))))
        let billing = try #require(frame.lines.first { $0.hasPrefix("billing") && $0.contains("staging") })
        #expect(billing.split(separator: " ").suffix(3) == ["-", "-", "-"], "\(billing)")
    }

    @Test func theLogPaneWrapsAndShowsTimestamps() throws {
        var state = RichFixtures.on(.log, RichFixtures.state(size: TerminalSize(rows: 24, columns: 60)))
        state = Console.update(state, .logLoaded(state.log!.source, [LogLine(time: nil, text: String(repeating: "x", count: 100))], replacing: false)).0
        #expect(Console.render(state).lines.filter { $0.hasPrefix("xxxx") }.count == 1)
        state = Fixtures.pressing([.character("w"), .character("t")], in: state)
        let frame = Console.render(state)
        #expect(frame.lines.filter { $0.hasPrefix("xxxx") }.count == 2)
        #expect(frame.text.contains("11-29 09:30:12  ==> build"))
        #expect(state.log?.wrap == true && state.log?.timestamps == true)
    }
}
