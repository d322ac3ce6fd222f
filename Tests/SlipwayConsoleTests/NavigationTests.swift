import Testing
@testable import SlipwayConsole

@Suite struct NavigationTests {
    @Test func jAndKMoveTheSelection() {
        let state = Fixtures.pressing([.character("j"), .character("j"), .character("k")], in: Fixtures.state())
        #expect(state.selection == 1)
    }

    @Test func arrowsMoveLikeJAndK() {
        #expect(Fixtures.pressing([.down, .down, .up], in: Fixtures.state()).selection == 1)
    }

    @Test func selectionStopsAtTheLastLine() {
        #expect(Fixtures.pressing(Array(repeating: .character("j"), count: 5), in: Fixtures.state()).selection == 2)
    }

    @Test func selectionStopsAtTheFirstLine() {
        #expect(Fixtures.pressing([.character("k"), .up], in: Fixtures.state()).selection == 0)
    }

    @Test func gAndCapitalGJumpToTheEnds() {
        let bottom = Fixtures.pressing([.character("G")], in: Fixtures.state())
        #expect(bottom.selection == 2)
        #expect(Fixtures.pressing([.character("g")], in: bottom).selection == 0)
    }

    @Test func pageKeysMoveByAPageAndClamp() {
        let rows = (1...30).map { Fixtures.row("component-\($0)", "staging") }
        let state = Fixtures.state(rows: rows, size: TerminalSize(rows: 10, columns: 80))
        #expect(state.pageSize == 5)
        let down = Fixtures.pressing([.pageDown], in: state)
        #expect(down.selection == 5)
        #expect(Fixtures.pressing(Array(repeating: .pageDown, count: 9), in: state).selection == 29)
        #expect(Fixtures.pressing([.pageUp, .pageUp], in: down).selection == 0)
    }

    @Test func qQuitsAtOnce() {
        let (state, effects) = Console.update(Fixtures.state(), .key(.character("q")))
        #expect(effects == [.quit])
        #expect(state.shouldQuit)
    }

    @Test func otherKeysHaveNoEffect() {
        #expect(Console.update(Fixtures.state(), .key(.character("j"))).1.isEmpty)
        #expect(Console.update(Fixtures.state(), .key(.character("x"))).1.isEmpty)
    }

    @Test func controlRAsksForAReload() {
        let (state, effects) = Console.update(Fixtures.state(), .key(.character("\u{12}")))
        #expect(effects == [.reload])
        #expect(Console.render(state).lines[22] == "reloading…")
    }

    @Test func aSmallerFleetPullsTheSelectionIn() {
        let state = Fixtures.pressing([.character("G")], in: Fixtures.state())
        let (reloaded, _) = Console.update(state, .loaded(ConsoleSnapshot(rows: Array(Fixtures.fleet.prefix(3)), runs: []), Fixtures.header))
        #expect(reloaded.selection == 0)
    }

    @Test func aLoadFailureShowsUntilTheNextLoad() {
        let (failed, _) = Console.update(Fixtures.state(), .loadFailed("store /x/state.db: disk I/O error"))
        #expect(Console.render(failed).lines[22] == "store /x/state.db: disk I/O error")
        let (loaded, _) = Console.update(failed, .loaded(ConsoleSnapshot(rows: Fixtures.fleet, runs: Fixtures.runs), Fixtures.header))
        #expect(Console.render(loaded).lines[22].isEmpty)
    }
}
