import Foundation
import Testing
@testable import SlipwayConsole
@testable import SlipwayCore

/// The releases screen shows what the highlighted release changes against the live one, and a
/// deploy or rollback confirmation says it in one line.
@Suite struct ReleaseDiffScreenTests {
    static func diff(to version: String, environment: String = "staging") -> ReleaseDiff {
        ReleaseDiff(
            component: "accounts", environment: environment, fromVersion: "3f9a2c1b7d4e", fromCommit: "3f9a2c1b7d4e9",
            toVersion: version, toCommit: "0c1d2e3f4a5b6",
            commits: [
                .init(hash: "aa11bb2", subject: "accounts: email column", author: "Ana"),
                .init(hash: "cc33dd4", subject: "accounts: readme", author: "Bo"),
                .init(hash: "ee55ff6", subject: "accounts: retry logins", author: "Ana"),
            ],
            isRollback: false, files: ["a", "b", "c", "d", "e"], migrations: ["services/accounts/db/V2__email.sql"])
    }

    @Test func theHighlightedReleaseAsksForItsDiffAndShowsItUnderTheList() {
        let releases = RichFixtures.on(.releases, RichFixtures.state(size: TerminalSize(rows: 24, columns: 100)))
        let request = ConsoleFocus.Diff(component: "accounts", environment: "staging", version: "3f9a2c1b7d4e")
        #expect(releases.focus.diff == request)
        #expect(Console.render(releases).line(containing: "CHANGES against 3f9a2c1b7d4e: reading git") != nil)

        let second = Fixtures.pressing([.character("j")], in: releases)
        let asked = ConsoleFocus.Diff(component: "accounts", environment: "staging", version: "0c1d2e3f4a5b")
        #expect(second.focus.diff == asked)
        let loaded = Console.update(second, .diffLoaded(LoadedDiff(request: asked, diff: Self.diff(to: "0c1d2e3f4a5b")))).0
        let frame = Console.render(loaded)
        #expect(frame.line(containing: "CHANGES 3f9a2c1b7d4e -> 0c1d2e3f4a5b: 3 commits, 5 files, 1 migration") != nil)
        #expect(frame.line(containing: "+ migration services/accounts/db/V2__email.sql") != nil)
        #expect(frame.line(containing: "aa11bb2  accounts: email column  (Ana)") != nil)

        // Back on the first release, the diff of the second is not shown as its own.
        let back = Console.render(Fixtures.pressing([.character("k")], in: loaded))
        #expect(back.line(containing: "3 commits") == nil)
    }

    @Test func theConfirmationSaysWhatTheReleaseChangesInOneLine() {
        let component = Fixtures.pressing([.enter, .character("j")], in: RichFixtures.state(size: TerminalSize(rows: 24, columns: 160)))
        let (asking, _) = Console.update(component, .key(.character("d")))
        let request = ConsoleFocus.Diff(component: "accounts", environment: "staging", version: nil)
        #expect(asking.focus.diff == request)
        let prompt = { (state: ConsoleState) in Console.render(state).lines[state.size.rows - 2] }
        #expect(prompt(asking).contains("(from git: reading its version)? y/enter confirms"), "\(prompt(asking))")
        let loaded = Console.update(asking, .diffLoaded(LoadedDiff(request: request, diff: Self.diff(to: "5e5e5e5e5e5e")))).0
        #expect(prompt(loaded).contains("5e5e5e5e5e5e (3 commits, 5 files, 1 migration)? y/enter confirms"), "\(prompt(loaded))")

        let (rollback, _) = Console.update(component, .key(.character("b")))
        #expect(rollback.focus.diff == ConsoleFocus.Diff(component: "accounts", environment: "staging", version: "0c1d2e3f4a5b"))
        var back = Self.diff(to: "0c1d2e3f4a5b")
        back.isRollback = true
        back.migrations = []
        let answered = Console.update(rollback, .diffLoaded(LoadedDiff(request: rollback.focus.diff!, diff: back))).0
        #expect(prompt(answered).contains("(back 3 commits, 5 files)?"), "\(prompt(answered))")
    }

    /// Issue 16 item 6: a deploy names the live colour and version, the idle colour it goes to and
    /// the version git builds, and says when that version is older than the live one.
    @Test func aDeployConfirmationSaysFromWhatToWhatAndWhenItGoesBack() throws {
        var state = Fixtures.pressing([.enter, .character("j")], in: RichFixtures.state(size: TerminalSize(rows: 24, columns: 200)))
        let deployment = try #require(state.snapshot.state("accounts", "staging"))
        let live = try #require(deployment.liveColor)
        let idle = live == "blue" ? "green" : "blue"
        state = Console.update(state, .key(.character("d"))).0
        let request = try #require(state.focus.diff)
        let prompt = { (state: ConsoleState) in Console.render(state).lines[state.size.rows - 2] }
        #expect(prompt(state).contains("deploy accounts to staging: \(live) \(deployment.liveVersion ?? "?") -> \(idle) (from git"),
                "\(prompt(state))")

        var older = Self.diff(to: "1a1a1a1a1a1a")
        older.isRollback = true
        older.migrations = []
        let back = Console.update(state, .diffLoaded(LoadedDiff(request: request, diff: older))).0
        #expect(prompt(back).contains("-> \(idle) 1a1a1a1a1a1a (back 3 commits, 5 files), older than the live release: a rollback in effect"),
                "\(prompt(back))")
    }

    /// Found driving the demo at 120 columns: the long confirmation ran off the screen, and for
    /// production that hid the name being typed. The description is shortened, the answer kept.
    @Test func aLongConfirmationKeepsTheTypedNameInSight() throws {
        var state = Fixtures.pressing([.enter, .character("j"), .character("j")], in: RichFixtures.state(size: TerminalSize(rows: 24, columns: 80)))
        state = Console.update(state, .key(.character("d"))).0
        for key in "prod" { state = Console.update(state, .key(.character(key))).0 }
        let line = Console.render(state).lines[state.size.rows - 2]
        #expect(line.hasPrefix("deploy accounts to "), "\(line)")
        #expect(line.contains("…? type 'production' and enter to confirm, esc cancels: prod_"), "\(line)")
        #expect(line.count <= 80, "\(line)")

        // Staging asks y/n: the description keeps its room (it says what happens) and the line is
        // cut at its end, since the footer names the keys.
        var staging = Fixtures.pressing([.enter, .character("j")], in: RichFixtures.state(size: TerminalSize(rows: 24, columns: 80)))
        staging = Console.update(staging, .key(.character("d"))).0
        let asked = Console.render(staging).lines[staging.size.rows - 2]
        #expect(asked.hasPrefix("deploy accounts to staging: ") && asked.hasSuffix("…") && asked.count == 80, "\(asked)")
        #expect(Console.render(staging).lines[staging.size.rows - 1].contains("esc cancel"))
    }
}
