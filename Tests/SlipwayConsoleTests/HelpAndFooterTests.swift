import Testing
@testable import SlipwayConsole

@Suite struct HelpAndFooterTests {
    @Test func helpListsEveryBinding() throws {
        let state = Fixtures.pressing([.character("?")], in: Fixtures.state(size: TerminalSize(rows: 40, columns: 100)))
        let lines = Console.render(state).lines
        for binding in Bindings.all {
            #expect(
                lines.contains { $0.hasPrefix(binding.keyLabel + " ") && $0.contains(binding.description) },
                "help is missing \(binding.keyLabel) \(binding.description)")
        }
    }

    @Test func questionMarkTogglesHelp() {
        let open = Fixtures.pressing([.character("?")], in: Fixtures.state())
        #expect(open.screen == .help)
        #expect(Fixtures.pressing([.character("?")], in: open).screen == .fleet)
        #expect(Fixtures.pressing([.escape], in: open).screen == .fleet)
    }

    @Test func footerShowsTheHintsTheBindingTableMarksForIt() {
        let footer = Console.render(Fixtures.state()).lines.last ?? ""
        #expect(footer == "j down  k up  1 fleet  2 runs  / filter  ? help  q quit")
        for binding in Bindings.all where !binding.shownInFooter {
            #expect(!footer.contains(binding.description))
        }
    }

    @Test func footerShowsFilteringHintsWhileFiltering() {
        let state = Fixtures.pressing([.character("/")], in: Fixtures.state())
        #expect(Console.render(state).lines.last == "enter keep filter  esc clear filter")
    }

    @Test func footerLeavesOutHintsThatDoNotFitWhole() {
        var bindings = Bindings.footer(in: .browsing).map { "\($0.footerLabel) \($0.description)" }
        let footer = Console.render(Fixtures.state(size: TerminalSize(rows: 10, columns: 60))).lines.last ?? ""
        while bindings.joined(separator: "  ").count > 60 { bindings.removeLast() }
        #expect(footer == bindings.joined(separator: "  "))
    }

    @Test func noKeyIsBoundTwiceInOneContext() {
        for context in [Binding.Context.browsing, .filtering] {
            let keys = Bindings.all.filter { $0.context == context }.flatMap(\.keys)
            #expect(Set(keys).count == keys.count)
        }
    }
}
