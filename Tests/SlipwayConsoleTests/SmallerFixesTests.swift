import Foundation
import Testing
@testable import SlipwayConsole
@testable import SlipwayCore

/// Issue 16, item 9: what the screens said that was true but useless, or false.
@Suite struct SmallerFixesTests {
    static let now = Fixtures.now

    @Test func anExhaustedBudgetReadsSpent() {
        let status = SLOStatus(
            objective: HealthObjectivesTests.availability, window: (total: 100, bad: 60), lastHour: (total: 100, bad: 60))
        let line = SLOLine(component: "qis-data-management", environment: "production", status: status, minutes: [], end: 0)
        #expect(status.budgetRemaining < -50, "-5900% or so")
        #expect(line.budgetText == "spent" && line.exhaustionText == "spent")
        let healthy = SLOLine(
            component: "a", environment: "b",
            status: SLOStatus(objective: HealthObjectivesTests.availability, window: (total: 1000, bad: 1), lastHour: (total: 100, bad: 0)),
            minutes: [], end: 0)
        #expect(healthy.budgetText == "80%", "\(healthy.budgetText)")
    }

    @Test func aStoppedSlotSaysSinceWhenItStopped() throws {
        var snapshot = RichFixtures.snapshot
        snapshot.slots[0].state = .stopped
        snapshot.events.insert(RichFixtures.event(
            50, .slotStopped, details: EventDetails(version: "0c1d2e3f4a5b", color: "blue", reason: "keep_warm ended")), at: 0)
        let initial = ConsoleState(header: Fixtures.header, size: TerminalSize(rows: 30, columns: 100), now: Self.now)
        let state = RichFixtures.on(.component, Console.update(initial, .loaded(snapshot, Fixtures.header)).0)
        let frame = Console.render(state)
        let slot = try #require(frame.line(containing: "staging      blue   0c1d2e3f4a5b")).text
        // Started 5 minutes before now, stopped 50 seconds before it.
        #expect(slot.contains("stopped since 11-29 09:29:22"), "\(slot)")
        #expect(!slot.contains("idle") && !slot.contains("09:25:12"), "\(slot)")
    }

    @Test func theReleasesScreenDoesNotRepeatTheVersionAsTheCommit() throws {
        let state = RichFixtures.on(.releases, RichFixtures.state(size: TerminalSize(rows: 24, columns: 100)))
        let frame = Console.render(state)
        let heading = try #require(frame.line(containing: "VERSION")).text
        #expect(heading.hasPrefix("VERSION = COMMIT") && !heading.contains("  COMMIT"), "\(heading)")
        #expect(try #require(frame.line(containing: "0c1d2e3f4a5b")).text.components(separatedBy: "0c1d2e3f4a5b").count == 2)
        // A release built from another commit than its version names: the column shows.
        var other = RichFixtures.releases
        other[1].version = "v2.1.0"
        let mixed = Console.update(state, .releasesLoaded(component: "accounts", environment: "staging", other)).0
        let mixedFrame = Console.render(mixed)
        let mixedHeading = try #require(mixedFrame.line(containing: "VERSION")).text
        #expect(mixedHeading.split(separator: " ").prefix(2) == ["VERSION", "COMMIT"], "\(mixedHeading)")
        #expect(try #require(mixedFrame.line(containing: "v2.1.0")).text.contains("0c1d2e3f4a5b"))
    }

    @Test func tTogglesTheTimestampsOfASlotLog() throws {
        let line = LogLine(stamped: "2026-11-29T09:30:10.250Z GET /health 200")
        #expect(line.text == "GET /health 200")
        #expect(line.time.map { TimeText.clock($0) } == "09:30:10")
        #expect(LogLine(stamped: "no stamp here") == LogLine(time: nil, text: "no stamp here"))

        var state = Fixtures.pressing([.enter, .character("j"), .character("l")], in: RichFixtures.state())
        #expect(state.screen == .log)
        let source = try #require(state.log?.source)
        state = Console.update(state, .logLoaded(source, [line], replacing: true)).0
        #expect(Console.render(state).lines.contains { $0.hasPrefix("GET /health 200") })
        state = Fixtures.pressing([.character("t")], in: state)
        #expect(Console.render(state).lines.contains { $0.hasPrefix("11-29 09:30:10  GET /health 200") })
        state = Fixtures.pressing([.character("t")], in: state)
        #expect(!Console.render(state).text.contains("09:30:10"))
    }

    @Test func theHealthScreenShowsHowOldEachProbeIs() throws {
        #expect(TimeText.age(of: Self.now - 3, now: Self.now) == "3s ago")
        #expect(TimeText.age(of: Self.now - 22 * 60, now: Self.now) == "22m ago")
        #expect(TimeText.age(of: Self.now - 7200, now: Self.now) == "2h ago")
        #expect(TimeText.age(of: Self.now - 3 * 86400, now: Self.now) == "3d ago")
        let frame = Console.render(RichFixtures.on(.health, RichFixtures.state(size: TerminalSize(rows: 24, columns: 120))))
        let accounts = try #require(frame.lines.first { $0.hasPrefix("accounts") && $0.contains("staging") })
        #expect(accounts.contains("1m ago") && !accounts.contains("09:29:12"), "\(accounts)")
    }
}
