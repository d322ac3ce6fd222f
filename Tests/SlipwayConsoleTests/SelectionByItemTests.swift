import Foundation
import SlipwayCore
import Testing
@testable import SlipwayConsole

/// The highlight follows its item, not its row number, when newer items arrive: `b` and `x`
/// act on the run the operator is looking at.
@Suite struct SelectionByItemTests {
    @Test func theSelectedRunStaysSelectedWhenNewerRunsArrive() throws {
        var state = Fixtures.pressing([.character("2"), .character("j")], in: Fixtures.state())
        #expect(state.selectedRun?.id == "r20261129092000-0002")
        let newer = [
            Fixtures.run("r20261129094000-0005", startedAt: Fixtures.now),
            Fixtures.run("r20261129093500-0004", startedAt: Fixtures.now - 5),
        ]
        state = Console.update(state, .loaded(ConsoleSnapshot(rows: Fixtures.fleet, runs: newer + Fixtures.runs), Fixtures.header)).0
        #expect(state.selectedRun?.id == "r20261129092000-0002", "the highlight stayed on its run")
        let frame = Console.render(state)
        #expect(frame.reverseRows == [try #require(frame.line(containing: "r20261129092000-0002")).row])
        #expect(frame.lines[1].contains("5 runs, 2 new above"), "\(frame.lines[1])")

        state = Fixtures.pressing([.character("k")], in: state)
        #expect(state.selectedRun?.id == "r20261129093000-0003")
        #expect(!Console.render(state).lines[1].contains("new above"), "moving clears the notice")
    }

    @Test func theSelectedComponentStaysSelectedWhenTheFleetGrows() throws {
        var state = Fixtures.pressing([.character("j")], in: Fixtures.state())
        let selected = state.visibleComponents[state.selection].name
        let newcomer = Fixtures.row("aardvark", "staging", version: "111111111111", color: "blue", health: .healthy)
        state = Console.update(state, .loaded(ConsoleSnapshot(rows: [newcomer] + Fixtures.fleet, runs: Fixtures.runs), Fixtures.header)).0
        #expect(state.visibleComponents[state.selection].name == selected)
    }
}

/// Status messages belong to the screen they were said on, and fade.
@Suite struct StatusMessageTests {
    @Test func aMessageShowsOnlyOnItsScreenAndFades() throws {
        var state = Fixtures.pressing([.character("2")], in: Fixtures.state())
        state = Console.update(state, .actionStarted("run failed: x retries it, b rolls back")).0
        #expect(Console.render(state).lines.contains { $0.contains("x retries it") })
        let fleet = Fixtures.pressing([.character("1")], in: state)
        #expect(!Console.render(fleet).lines.contains { $0.contains("x retries it") }, "not on the fleet, where b means rollback of a component")
        let later = Console.update(state, .tick(Fixtures.now + ConsoleState.statusLifetime + 1)).0
        #expect(!Console.render(later).lines.contains { $0.contains("x retries it") }, "faded")
    }
}

@Suite struct TargetEnvironmentTests {
    @Test func afterEnvTheFleetSaysWhereActionsGo() {
        let state = Fixtures.pressing([.character(":")] + Fixtures.typing("env production") + [.enter], in: Fixtures.state())
        #expect(Console.render(state).lines[1].contains("actions go to production"), "\(Console.render(state).lines[1])")
    }
}
