import Testing
@testable import SlipwayConsole

@Suite struct FilterTests {
    private let filtering = Fixtures.pressing([.character("/")], in: Fixtures.state())

    @Test func typingNarrowsTheFleet() {
        let frame = Console.render(Fixtures.pressing(Fixtures.typing("ACC"), in: filtering))
        #expect(frame.line(containing: "accounts") != nil)
        #expect(frame.line(containing: "billing") == nil)
        #expect(frame.line(containing: "landing-page") == nil)
        #expect(frame.lines[1].contains("1 of 3 components"))
        #expect(frame.lines[22] == "/ACC_")
    }

    /// The columns are as wide as all components need, not only those the filter leaves.
    @Test func theColumnsStayPutWhileFiltering() {
        let all = Console.render(Fixtures.state()).lines[2]
        let narrowed = Console.render(Fixtures.pressing(Fixtures.typing("ACC"), in: filtering)).lines[2]
        #expect(narrowed == all)
        #expect(Fixtures.state().snapshot.components.map(\.name.count).max()! > "accounts".count)
    }

    @Test func filterMatchesTargetsAndHealthToo() {
        let frame = Console.render(Fixtures.pressing(Fixtures.typing("unhealthy"), in: filtering))
        #expect(frame.line(containing: "landing-page") != nil)
        #expect(frame.line(containing: "accounts") == nil)
    }

    @Test func lettersAreTextWhileFiltering() {
        let (state, effects) = Console.update(filtering, .key(.character("q")))
        #expect(effects.isEmpty)
        #expect(state.list.filter == "q")
        #expect(Fixtures.pressing([.character("j")], in: filtering).selection == 0)
    }

    @Test func enterKeepsTheFilterAndLeavesFilterMode() {
        let state = Fixtures.pressing(Fixtures.typing("a") + [.enter, .character("j")], in: filtering)
        #expect(!state.isFiltering)
        #expect(state.list.filter == "a")
        #expect(state.selection == 1)
        #expect(Console.render(state).lines[22].hasPrefix("filter /a"))
    }

    @Test func escClearsTheFilter() {
        let state = Fixtures.pressing(Fixtures.typing("acc") + [.escape], in: filtering)
        #expect(!state.isFiltering)
        #expect(state.list.filter.isEmpty)
        #expect(Console.render(state).line(containing: "billing") != nil)
    }

    @Test func backspaceDeletesTheLastCharacter() {
        #expect(Fixtures.pressing(Fixtures.typing("bil") + [.backspace], in: filtering).list.filter == "bi")
    }

    @Test func arrowsMoveWithinTheMatches() {
        let state = Fixtures.pressing(Fixtures.typing("in") + [.down], in: filtering)
        let frame = Console.render(state)
        #expect(frame.reverseRows == [frame.line(containing: "landing-page")?.row])
    }

    @Test func saysWhenNothingMatches() {
        let frame = Console.render(Fixtures.pressing(Fixtures.typing("zzz"), in: filtering))
        #expect(frame.lines[3] == "nothing matches /zzz")
    }

    @Test func filtersRunsOnTheRunsScreen() {
        let state = Fixtures.pressing([.character("2"), .character("/")] + Fixtures.typing("failed"), in: Fixtures.state())
        let frame = Console.render(state)
        #expect(frame.line(containing: "r20261129092000-0002") != nil)
        #expect(frame.line(containing: "r20261129093000-0003") == nil)
    }
}
