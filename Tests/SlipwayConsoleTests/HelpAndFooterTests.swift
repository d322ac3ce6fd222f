import Testing
@testable import SlipwayConsole

@Suite struct HelpAndFooterTests {
    /// The state on `screen`, reached the way an operator gets there.
    static func on(_ screen: ConsoleScreen, size: TerminalSize = TerminalSize(rows: 60, columns: 120)) -> ConsoleState {
        // The detail screen needs an audit line to open.
        if screen == .detail { return RichFixtures.on(.detail, RichFixtures.state(size: size)) }
        let keys: [ConsoleKey] = switch screen {
        case .fleet, .help, .detail: []
        case .runs: [.character("2")]
        case .health: [.character("3")]
        case .audit: [.character("4")]
        case .alerts: [.character("5")]
        case .drift: [.character("6")]
        case .approvals: [.character("7")]
        case .component: [.enter]
        case .releases: [.enter, .character("r")]
        case .log: [.character("2"), .enter]
        }
        return Fixtures.pressing(keys, in: Fixtures.state(size: size))
    }

    @Test(arguments: ConsoleScreen.allCases.filter { $0 != .help })
    func helpListsEveryBindingOfTheScreenUnderIt(screen: ConsoleScreen) throws {
        let state = Fixtures.pressing([.character("?")], in: Self.on(screen))
        #expect(state.screen == .help)
        let lines = Console.render(state).lines
        for binding in Bindings.all where binding.context != .browsing || binding.applies(to: screen) {
            #expect(
                lines.contains { $0.hasPrefix(binding.keyLabel + " ") && $0.contains(binding.description) },
                "help on \(screen) is missing \(binding.keyLabel) \(binding.description)")
        }
        for binding in Bindings.all where binding.context == .browsing && !binding.applies(to: screen) {
            #expect(!lines.contains { $0.hasPrefix(binding.keyLabel + " ") && $0.contains(binding.description) })
        }
    }

    @Test func helpInReadOnlyModeLeavesOutChangingActions() {
        let state = Fixtures.pressing([.enter, .character("?")], in: Fixtures.state(size: TerminalSize(rows: 60, columns: 120), readOnly: true))
        let text = Console.render(state).text
        #expect(text.contains("releases"))
        for word in ["deploy", "switch", "rollback"] { #expect(!text.contains("  \(word)  ")) }
    }

    @Test func questionMarkTogglesHelp() {
        let open = Fixtures.pressing([.character("?")], in: Fixtures.state())
        #expect(open.screen == .help)
        #expect(Fixtures.pressing([.character("?")], in: open).screen == .fleet)
        #expect(Fixtures.pressing([.escape], in: open).screen == .fleet)
    }

    @Test func footerShowsTheHintsOfTheScreen() {
        let footer = Console.render(Fixtures.state(size: TerminalSize(rows: 24, columns: 200))).lines.last ?? ""
        #expect(footer == "j down  k up  enter open  r releases  d deploy  s switch  b rollback  l logs  / filter  : command  ? help  q quit")
        let log = Console.render(Self.on(.log, size: TerminalSize(rows: 24, columns: 200))).lines.last ?? ""
        #expect(log == "j down  k up  f follow on/off  w wrap on/off  t timestamps  / filter  : command  ? help  q quit")
    }

    @Test func footerInReadOnlyModeHidesChangingActions() {
        let state = Fixtures.state(size: TerminalSize(rows: 24, columns: 200), readOnly: true)
        #expect(Console.render(state).lines.last == "j down  k up  enter open  r releases  l logs  / filter  : command  ? help  q quit")
    }

    @Test func footerShowsFilteringHintsWhileFiltering() {
        let state = Fixtures.pressing([.character("/")], in: Fixtures.state())
        #expect(Console.render(state).lines.last == "enter keep filter  esc clear filter")
    }

    /// Help and quit keep their room at the end; the other hints fill what is left, whole.
    @Test func footerLeavesOutHintsThatDoNotFitWhole() {
        var hints = Bindings.all.available(in: .browsing, on: .fleet, readOnly: false).filter(\.shownInFooter)
            .map { "\($0.footerLabel) \($0.description)" }
            .filter { $0 != "? help" && $0 != "q quit" }
        let footer = Console.render(Fixtures.state(size: TerminalSize(rows: 15, columns: 60))).lines.last ?? ""
        while (hints + ["? help", "q quit"]).joined(separator: "  ").count > 60 { hints.removeLast() }
        #expect(footer == (hints + ["? help", "q quit"]).joined(separator: "  "))
    }

    @Test(arguments: ConsoleScreen.allCases)
    func noKeyIsBoundTwiceOnOneScreen(screen: ConsoleScreen) {
        for context in [Binding.Context.browsing, .filtering, .command, .confirming] {
            let keys = Bindings.all.filter { $0.context == context && $0.applies(to: screen) }.flatMap(\.keys)
            #expect(Set(keys).count == keys.count, "\(context) on \(screen)")
        }
    }
}
