import Foundation
import Testing
@testable import SlipwayConsole
@testable import SlipwayCore

/// The health screen's objectives with sparklines, and firing alerts in the header and the audit screen.
@Suite struct HealthObjectivesTests {
    static let now = Fixtures.now
    static let end = SLIMinute.number(of: now)
    static let availability = ServiceLevelObjective.seedDefaults[0]

    /// accounts in production: clean for 50 minutes, then 10 minutes with 10% errors.
    static var burning: SLOLine {
        let minutes = (0..<60).map { offset in
            SLIMinute(minute: end - 60 + offset, total: 100, bad: offset >= 50 ? 10 : 0)
        }
        let status = SLOStatus(objective: availability, window: (total: 6000, bad: 100), lastHour: (total: 6000, bad: 100))
        return SLOLine(component: "accounts", environment: "production", status: status, minutes: minutes, end: end)
    }

    /// billing in staging: a few minutes of data, nothing bad.
    static var quiet: SLOLine {
        let status = SLOStatus(objective: availability, window: (total: 300, bad: 0), lastHour: (total: 300, bad: 0))
        return SLOLine(
            component: "billing", environment: "staging", status: status,
            minutes: [SLIMinute(minute: end - 3, total: 100, bad: 0), SLIMinute(minute: end - 1, total: 200, bad: 0)], end: end)
    }

    static func alertEvent(
        _ id: Int64, change: String, severity: String, rule: String = "1h/5m", component: String = "accounts"
    ) -> Event {
        let details = EventDetails(
            stage: rule, outcome: severity, reason: "\(component) in production: availability: burning the error budget",
            change: change, objective: "availability")
        return Event(
            id: id, time: now - Double(100 - id), actor: "agent", kind: EventKind.alertRaised.rawValue, schemaVersion: 1,
            component: component, environment: "production", runID: nil,
            payload: String(decoding: try! JSONEncoder().encode(details), as: UTF8.self))
    }

    static func state(
        size: TerminalSize = TerminalSize(rows: 24, columns: 80), symbols: SymbolSet = .unicode, alerts: [FiringAlert] = [],
        events: [Event] = []
    ) -> ConsoleState {
        var snapshot = RichFixtures.snapshot
        snapshot.objectives = [burning, quiet]
        snapshot.alerts = alerts
        snapshot.events = events + snapshot.events
        let initial = ConsoleState(header: Fixtures.header, size: size, now: now, symbols: symbols)
        return Console.update(initial, .loaded(snapshot, Fixtures.header)).0
    }

    static let cases: [(TerminalSize, SymbolSet)] = [TerminalSize(rows: 24, columns: 80), TerminalSize(rows: 60, columns: 200)]
        .flatMap { size in [SymbolSet.unicode, .ascii].map { (size, $0) } }

    @Test func theSparklineKeepsEveryMinuteInOrder() {
        #expect(Self.burning.badRatios.count == 60)
        #expect(Self.burning.badRatios.prefix(50).allSatisfy { $0 == 0 })
        #expect(Self.burning.badRatios.suffix(10).allSatisfy { $0 == 0.1 })
        #expect(Self.quiet.badRatios.suffix(3) == [0, nil, 0])
        #expect(Sparkline.text([0, nil, 0.05, 0.1], ceiling: 0.1, symbols: .unicode) == "▁ ▅█")
        #expect(Sparkline.text([0, nil, 0.05, 0.1], ceiling: 0.1, symbols: .ascii) == "_ =#")
    }

    @Test(arguments: cases)
    func showsEachObjectiveWithItsFiguresAndSparkline(size: TerminalSize, symbols: SymbolSet) throws {
        let frame = Console.render(Fixtures.pressing([.character("3")], in: Self.state(size: size, symbols: symbols)))
        #expect(frame.text.contains("SERVICE LEVEL OBJECTIVES"))
        let heading = try #require(frame.line(containing: "EMPTY IN")).text
        #expect(heading.hasPrefix("COMPONENT") && heading.contains("BUDGET") && heading.contains("BURN"))
        #expect(heading.contains("LAST 60 MIN") == (size.columns >= 200), "beside the figures when it fits")
        let row = try #require(frame.lines.firstIndex { $0.hasPrefix("accounts") && $0.contains("availability") })
        let accounts = frame.lines[row]
        // At 80 columns the sparkline takes the line below.
        let sparkline = size.columns >= 200 ? accounts : frame.lines[row + 1]
        if size.columns < 200 { #expect(sparkline.hasPrefix("last 60 min")) }
        // 100 bad of 6000 against a 0.5% budget: 98.33% good, the budget spent (-233%), burn 3.33.
        let words = accounts.split(separator: " ")
        #expect(Array(words.prefix(8)) == ["accounts", "production", "availability", "99.5%", "98.33%", "spent", "3.33", "spent"], "\(accounts)")
        let high = symbols == .unicode ? "█" : "#"
        let low = symbols == .unicode ? "▁" : "_"
        #expect(sparkline.hasSuffix(String(repeating: low, count: 50) + String(repeating: high, count: 10)), "\(sparkline)")
        let sparkRow = size.columns >= 200 ? row : row + 1
        #expect(frame[sparkRow, sparkline.count - 1].style.role == .unhealthy, "a burn over 1 draws in the unhealthy colour")
        let billingRow = try #require(frame.lines.firstIndex { $0.hasPrefix("billing") && $0.contains("availability") })
        let billing = frame.lines[billingRow]
        #expect(billing.contains("100.00%") && billing.contains("never"), "\(billing)")
        #expect((size.columns >= 200 ? billing : frame.lines[billingRow + 1]).hasSuffix("\(low) \(low)"))
        if symbols == .ascii {
            let ascii = frame.text.allSatisfy { $0.isASCII }
            #expect(ascii, "\(frame.text)")
        }
    }

    @Test func theHealthFilterNarrowsTheObjectivesToo() {
        let state = Fixtures.pressing([.character("3"), .character("/")] + Fixtures.typing("billing") + [.enter], in: Self.state())
        let text = Console.render(state).text
        let lines = text.split(separator: "\n")
        #expect(lines.contains { $0.hasPrefix("billing") && $0.contains("availability") })
        #expect(!lines.contains { $0.hasPrefix("accounts") && $0.contains("availability") })
    }

    @Test func explainsWhenThereIsNoSLIData() {
        let initial = ConsoleState(header: Fixtures.header, now: Self.now)
        let state = Fixtures.pressing([.character("3")], in: Console.update(initial, .loaded(RichFixtures.snapshot, Fixtures.header)).0)
        #expect(Console.render(state).text.contains("no SLI data yet"))
    }

    @Test func alertsFireAndClearRuleByRule() {
        let events = [
            Self.alertEvent(1, change: "fired", severity: "ticket", rule: "6h/30m"),
            Self.alertEvent(2, change: "fired", severity: "page"),
            Self.alertEvent(3, change: "budget_crossed", severity: "info", rule: "50%"),
            Self.alertEvent(4, change: "fired", severity: "page", component: "billing"),
            Self.alertEvent(5, change: "cleared", severity: "page", component: "billing"),
        ]
        let firing = FiringAlert.firing(in: events.reversed())
        #expect(firing.map(\.rule) == ["1h/5m", "6h/30m"], "most severe first; billing's cleared; info never fires")
        #expect(firing.map(\.component) == ["accounts", "accounts"])
        #expect(FiringAlert.firing(in: events + [Self.alertEvent(6, change: "cleared", severity: "page")]).map(\.rule) == ["6h/30m"])
    }

    @Test(arguments: cases)
    func theHeaderCountsFiringAlertsOnEveryScreen(size: TerminalSize, symbols: SymbolSet) throws {
        let alerts = FiringAlert.firing(in: [
            Self.alertEvent(1, change: "fired", severity: "ticket", rule: "6h/30m"), Self.alertEvent(2, change: "fired", severity: "page"),
        ])
        for keys in [[], [ConsoleKey.character("2")], [.character("3")], [.character("4")], [.enter]] {
            let frame = Console.render(Fixtures.pressing(keys, in: Self.state(size: size, symbols: symbols, alerts: alerts)))
            #expect(frame.lines[1].hasSuffix("\(symbols.alarm) 2 alerts firing"), "\(frame.lines[1])")
            let column = frame.lines[1].count - 1
            #expect(frame[1, column].style.role == .unhealthy, "a paging alert is in the unhealthy colour")
        }
        let quiet = Console.render(Self.state(size: size, symbols: symbols))
        #expect(!quiet.lines[1].contains("firing"))
    }

    @Test func theAuditScreenListsAlerts() throws {
        let state = Fixtures.pressing([.character("4")], in: Self.state(
            size: TerminalSize(rows: 24, columns: 160), events: [Self.alertEvent(2, change: "fired", severity: "page")]))
        let frame = Console.render(state)
        let line = try #require(frame.line(containing: "page fired"))
        #expect(line.text.contains("agent") && line.text.contains("accounts") && line.text.contains("production"))
        #expect(line.text.contains("page fired accounts in production: availability: burning"), "\(line.text)")
        let filtered = Console.render(Fixtures.pressing([.character("/")] + Fixtures.typing("page") + [.enter], in: state))
        #expect(filtered.text.contains("1 actions"))
    }
}
