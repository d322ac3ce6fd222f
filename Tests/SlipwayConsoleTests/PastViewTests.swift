import Foundation
import Testing
@testable import SlipwayConsole
@testable import SlipwayCore

/// The past view: `t`, `[`/`]` and `:at` ask for a past moment off the terminal thread; what
/// arrives is shown with the moment in the header, read-only; `esc` returns to now.
@Suite struct PastViewTests {
    /// 2026-11-29 09:20:00 UTC, ten minutes and twelve seconds before `Fixtures.now`.
    static let then = Date(timeIntervalSince1970: 1_795_944_000)
    static let mark = EventMark(id: 812, time: then)

    /// accounts in staging ran an older version then; the audit had one deploy.
    static var pastSnapshot: ConsoleSnapshot {
        var rows = Fixtures.fleet
        rows[1].liveVersion = "0ld0ld0ld0ld"
        return ConsoleSnapshot(
            rows: rows, runs: [Fixtures.run("r20261129090000-0001", version: "0ld0ld0ld0ld", startedAt: then - 60)],
            events: [RichFixtures.event(812, .runStarted, details: EventDetails(runKind: .deploy, version: "0ld0ld0ld0ld"))])
    }

    /// The fleet after `t` and the answer to it.
    static var inThePast: ConsoleState {
        let (entered, _) = Console.update(Fixtures.state(), .key(.character("t")))
        return Console.update(entered, .pastLoaded(.newest, mark, pastSnapshot)).0
    }

    @Test func tAsksForTheNewestMomentAndShowsItMarkedInTheHeader() {
        let (state, effects) = Console.update(Fixtures.state(), .key(.character("t")))
        #expect(effects == [.loadPast(.newest)])
        #expect(state.past?.isLoading == true)
        #expect(Console.render(state).lines[0].contains("◷ PAST loading"))

        let past = Self.inThePast
        let frame = Console.render(past)
        #expect(frame.lines[0].hasPrefix("◷ PAST 2026-11-29 09:20:00 UTC — esc returns to now  event #812"))
        #expect(frame.isReverse(row: 0))
        #expect(frame.line(containing: "0ld0ld0ld0ld") != nil)
        #expect(frame.line(containing: "3f9a2c1b7d4e")?.text.contains("0ld0ld0ld0ld") == true)
    }

    @Test func theRunsAndAuditScreensShowTheSameMoment() {
        let runs = Console.render(Fixtures.pressing([.character("2")], in: Self.inThePast))
        #expect(runs.line(containing: "r20261129090000-0001") != nil)
        #expect(runs.line(containing: "r20261129093000-0003") == nil)
        #expect(runs.lines[0].contains("PAST 2026-11-29 09:20:00"))
        let audit = Console.render(Fixtures.pressing([.character("4")], in: Self.inThePast))
        #expect(audit.line(containing: "0ld0ld0ld0ld") != nil)
        #expect(audit.lines[0].contains("PAST 2026-11-29 09:20:00"))
    }

    @Test func changingActionsAreRefusedWithOneLineAndHiddenFromTheFooter() {
        var state = Fixtures.pressing(Fixtures.typing(":env staging") + [.enter], in: Self.inThePast)
        for key in ["d", "s", "b"] {
            let (next, effects) = Console.update(state, .key(.character(Character(key))))
            #expect(effects.isEmpty)
            #expect(next.pending == nil)
            #expect(next.shownStatus?.hasPrefix("past view:") == true)
            #expect(next.shownStatus?.contains("\n") == false)
            state = next
        }
        let typed = Fixtures.pressing(Fixtures.typing(":deploy accounts staging") + [.enter], in: Self.inThePast)
        #expect(typed.pending == nil)
        #expect(typed.shownStatus == PastView.refusal("deploy"))
        let footer = Console.render(Self.inThePast).lines.last ?? ""
        #expect(!footer.contains("deploy"))
        #expect(Console.render(Fixtures.state()).lines.last?.contains("d deploy") == true)
    }

    @Test func bracketsStepOneEventAndStepsTakenWhileLoadingAddUp() {
        let (back, effects) = Console.update(Self.inThePast, .key(.character("[")))
        #expect(effects == [.loadPast(.step(from: 812, by: -1))])
        let (twice, again) = Console.update(back, .key(.character("[")))
        #expect(again == [.loadPast(.step(from: 812, by: -2))])
        let (forward, _) = Console.update(Self.inThePast, .key(.character("]")))
        #expect(forward.past?.target == .step(from: 812, by: 1))

        // The answer to the first press is stale once the second was made.
        let stale = Console.update(twice, .pastLoaded(.step(from: 812, by: -1), EventMark(id: 811, time: Self.then), Self.pastSnapshot)).0
        #expect(stale.past?.mark?.id == 812)
        let answered = Console.update(twice, .pastLoaded(.step(from: 812, by: -2), EventMark(id: 810, time: Self.then - 5), Self.pastSnapshot)).0
        #expect(answered.past?.mark?.id == 810)
        #expect(answered.past?.isLoading == false)
        #expect(Console.render(answered).lines[0].contains("09:19:55"))
    }

    @Test func atTakesATimeOrATimeAgoAndRefusesWhatIsNotOne() {
        let absolute = Console.update(
            Fixtures.pressing(Fixtures.typing(":at 2026-12-03 14:05"), in: Fixtures.state()), .key(.enter))
        #expect(absolute.1 == [.loadPast(.moment(Date(timeIntervalSince1970: 1_796_306_700)))])
        let ago = Console.update(Fixtures.pressing(Fixtures.typing(":at -2h"), in: Fixtures.state()), .key(.enter))
        #expect(ago.1 == [.loadPast(.moment(Fixtures.now - 7200))])
        let words = Console.update(Fixtures.pressing(Fixtures.typing(":at 2h ago"), in: Fixtures.state()), .key(.enter))
        #expect(words.1 == [.loadPast(.moment(Fixtures.now - 7200))])
        let bad = Console.update(Fixtures.pressing(Fixtures.typing(":at yesterday"), in: Fixtures.state()), .key(.enter))
        #expect(bad.1.isEmpty)
        #expect(bad.0.past == nil)
        #expect(bad.0.shownStatus?.hasPrefix(":at: 'yesterday' is not a moment") == true)
    }

    @Test func liveLoadsWaitWhileInThePastAndEscReturnsToThem() {
        var newer = Fixtures.fleet
        newer[1].liveVersion = "9e9e9e9e9e9e"
        let live = Console.update(Self.inThePast, .loaded(ConsoleSnapshot(rows: newer, runs: Fixtures.runs), Fixtures.header)).0
        #expect(Console.render(live).line(containing: "9e9e9e9e9e9e") == nil)
        #expect(Console.render(live).line(containing: "0ld0ld0ld0ld") != nil)
        let (now, effects) = Console.update(live, .key(.escape))
        #expect(effects == [.reload])
        #expect(now.past == nil)
        let frame = Console.render(now)
        #expect(frame.line(containing: "9e9e9e9e9e9e") != nil)
        #expect(!frame.lines[0].contains("PAST"))
    }

    @Test func aMomentBeforeTheFirstEventReturnsToNowAndSaysSo() {
        let asked = Console.update(Fixtures.pressing(Fixtures.typing(":at 2020-01-01"), in: Fixtures.state()), .key(.enter)).0
        let target = asked.past?.target ?? .newest
        let answered = Console.update(asked, .pastLoaded(target, nil, ConsoleSnapshot())).0
        #expect(answered.past == nil)
        #expect(answered.shownStatus == "nothing was recorded by then: showing now")
        #expect(answered.rows == Fixtures.fleet)
    }
}

/// Ages on a past moment's screens are counted from that moment, not from now: an alert that had
/// fired five minutes before it shows "5m ago" there (it is fifteen minutes before now).
@Suite struct PastAgesTests {
    @Test func theAlertsScreenCountsSinceFromTheMomentShown() throws {
        var fired = HealthObjectivesTests.alertEvent(700, change: "fired", severity: "page")
        fired.time = PastViewTests.then - 300
        var snapshot = PastViewTests.pastSnapshot
        snapshot.alerts = FiringAlert.firing(in: [fired])
        let (entered, _) = Console.update(Fixtures.state(), .key(.character("t")))
        let past = Console.update(entered, .pastLoaded(.newest, PastViewTests.mark, snapshot)).0
        let frame = Console.render(Fixtures.pressing([.character("5")], in: past))
        let line = try #require(frame.line(containing: "page")).text
        #expect(line.contains("5m ago") && !line.contains("15m"), "\(line)")
        let detail = Console.render(Fixtures.pressing([.character("5"), .enter], in: past)).text
        #expect(detail.contains("(5m ago)"), "\(detail)")
    }
}
