import Testing
@testable import SlipwayConsole

@Suite struct RunsScreenTests {
    private func runsFrame(_ state: ConsoleState = Fixtures.state()) -> Frame {
        Console.render(Fixtures.pressing([.character("2")], in: state))
    }

    @Test func listsRunsNewestFirstWithEveryColumn() throws {
        let frame = runsFrame()
        let heading = try #require(frame.line(containing: "ID")).text
        #expect(heading.split(separator: " ") == ["ID", "KIND", "COMPONENT", "ENV", "VERSION", "STATE", "ACTOR", "STARTED"])
        let newest = try #require(frame.line(containing: "r20261129093000-0003"))
        let oldest = try #require(frame.line(containing: "r20261129091000-0001"))
        #expect(newest.row < oldest.row)
        #expect(newest.text.split(separator: " ") == [
            "r20261129093000-0003", "deploy", "billing", "staging", "3f9a2c1b7d4e", "running", "ana", "11-29", "09:30:00",
        ])
    }

    @Test func selectsTheNewestRun() throws {
        let frame = runsFrame()
        #expect(frame.reverseRows == [try #require(frame.line(containing: "r20261129093000-0003")).row])
    }

    @Test func escGoesBackToTheFleet() {
        let state = Fixtures.pressing([.character("2"), .escape], in: Fixtures.state())
        #expect(state.screen == .fleet)
    }

    @Test func explainsWhenThereAreNoRuns() {
        #expect(runsFrame(Fixtures.state(runs: [])).lines[3].hasPrefix("no runs yet"))
    }

    @Test func keepsEachScreensSelection() {
        let state = Fixtures.pressing(
            [.character("j"), .character("j"), .character("2"), .character("j"), .escape], in: Fixtures.state())
        #expect(state.screen == .fleet)
        #expect(state.selection == 2)
    }
}
