import Testing
@testable import SlipwayConsole
@testable import SlipwayCore

/// The drift screen: `6` opens it, the watcher is asked for git's view, and the matrix marks
/// environments behind, versions git lost and commits live nowhere.
@Suite struct DriftScreenTests {
    @Test func fiveOpensTheDriftScreenWhichAsksForGitAndShowsTheMatrix() {
        let opened = Fixtures.pressing([.character("6")], in: RichFixtures.state(size: TerminalSize(rows: 24, columns: 160)))
        #expect(opened.screen == .drift)
        #expect(opened.focus.drift)
        #expect(!RichFixtures.state().focus.drift)
        #expect(Console.render(opened).line(containing: "reading git") != nil)

        let loaded = Console.update(opened, .driftLoaded(RichFixtures.drift)).0
        let frame = Console.render(loaded)
        let accounts = frame.line(containing: "accounts  ")?.text
        #expect(accounts?.contains("0c1d2e3f4a5b 9.0d 3 behind") == true, "\(frame.text)")
        #expect(accounts?.contains("5e5e5e5e5e5e not in git") == true)
        #expect(accounts?.contains("1 commit, newest 9a9a9a9 accounts: faster login") == true)
        #expect(frame.line(containing: "2 components against git, 1 with commits on main in no environment") != nil)
        if let (row, text) = frame.line(containing: "not in git"), let range = text.range(of: "5e5e5e5e5e5e not in git") {
            #expect(frame[row, text.distance(from: text.startIndex, to: range.lowerBound)].style.role == .unhealthy)
        } else {
            Issue.record("no 'not in git' cell")
        }
    }

    @Test func aNarrowDriftScreenShortensTheSentenceAndLeavesOutWholeVersions() {
        let opened = Fixtures.pressing([.character("6")], in: RichFixtures.state(size: TerminalSize(rows: 24, columns: 80)))
        let frame = Console.render(Console.update(opened, .driftLoaded(RichFixtures.drift)).0)
        let accounts = frame.line(containing: "accounts  ")?.text ?? ""
        #expect(accounts.count <= 80)
        #expect(accounts.contains("1 commit, newest") && accounts.hasSuffix("…"), "the sentence is shortened with an ellipsis: \(frame.text)")
        #expect(frame.line(containing: "hidden: PRODUCTION") != nil, "the left-out environment is named: \(frame.text)")
        #expect(!accounts.contains("3 beh "), "a version cell is whole or absent")
    }
}
