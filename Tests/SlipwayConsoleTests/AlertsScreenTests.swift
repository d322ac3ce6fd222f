import Foundation
import Testing
@testable import SlipwayConsole
@testable import SlipwayCore

/// Firing alerts made readable: a screen naming each, details on enter, marks on the fleet and
/// health screens, audit lines shown whole, and an objectives table that scrolls.
@Suite struct AlertsScreenTests {
    static let now = Fixtures.now

    /// accounts in production pages (its budget spent) and has a ticket open.
    static var alerts: [FiringAlert] {
        FiringAlert.firing(in: [
            HealthObjectivesTests.alertEvent(1, change: "fired", severity: "ticket", rule: "6h/30m"),
            HealthObjectivesTests.alertEvent(2, change: "fired", severity: "page"),
        ])
    }

    static func state(size: TerminalSize = TerminalSize(rows: 24, columns: 120), alerts: [FiringAlert] = alerts) -> ConsoleState {
        HealthObjectivesTests.state(size: size, alerts: alerts)
    }

    @Test func theAlertsScreenNamesEachAlertWithItsObjectivesFigures() throws {
        let state = Fixtures.pressing([.character("5")], in: Self.state())
        #expect(state.screen == .alerts)
        let frame = Console.render(state)
        #expect(frame.lines[1].contains("2 firing"))
        let heading = try #require(frame.line(containing: "SEVERITY")).text
        #expect(heading.split(separator: " ") == ["SEVERITY", "COMPONENT", "ENV", "OBJECTIVE", "SINCE", "BUDGET", "BURN", "RULE", "WHAT"])
        let page = try #require(frame.line(containing: "page"))
        let words = page.text.split(separator: " ")
        #expect(Array(words.prefix(10)) == ["⚠", "page", "accounts", "production", "availability", "1m", "ago", "spent", "3.33", "1h/5m"], "\(page.text)")
        #expect(page.text.contains("accounts in production: availability: burn"), "what it says, as far as it fits")
        #expect(frame[page.row, 0].style.role == .unhealthy)
        let ticket = try #require(frame.line(containing: "ticket"))
        #expect(ticket.row > page.row, "most severe first")
        #expect(ticket.text.contains("6h/30m"))
    }

    @Test func enterShowsTheAlertWholeAndEscGoesBack() throws {
        let state = Fixtures.pressing([.character("5"), .enter], in: Self.state(size: TerminalSize(rows: 24, columns: 60)))
        #expect(state.screen == .detail)
        let text = Console.render(state).text
        for expected in [
            "alert: accounts in production, availability", "severity", "page", "firing since", "2026-11-29T09:28:34Z (1m ago)",
            "budget left", "spent", "burn rate (1h)", "3.33", "accounts in production: availability:\n                burning the error budget",
        ] {
            #expect(text.contains(expected), "detail lacks '\(expected)':\n\(text)")
        }
        #expect(Fixtures.pressing([.escape], in: state).screen == .alerts)
    }

    @Test func aPagedComponentIsNotGreenOnTheFleetOrTheHealthScreen() throws {
        let quiet = Console.render(Self.state(alerts: []))
        let frame = Console.render(Self.state())
        let before = try #require(quiet.line(containing: "accounts"))
        let after = try #require(frame.line(containing: "accounts"))
        #expect(before.text.contains("0c1d2e3f4a5b blue  ●"), "\(before.text)")
        #expect(after.text.contains("0c1d2e3f4a5b blue  ⚠"), "\(after.text)")
        let column = try #require(after.text.range(of: "0c1d2e3f4a5b blue  ⚠")).upperBound
        let mark = after.text.distance(from: after.text.startIndex, to: column) - 1
        #expect(frame[after.row, mark].style.role == .unhealthy)
        #expect(after.text.contains("3f9a2c1b7d4e green ●"), "staging has no alert")

        let health = Console.render(Fixtures.pressing([.character("3")], in: Self.state()))
        let production = try #require(health.lines.first { $0.hasPrefix("accounts") && $0.contains("production") && !$0.contains("availability") })
        #expect(production.contains("⚠ healthy, page"), "\(production)")
    }

    /// Seven alert lines that differ only past the width: enter shows each whole.
    @Test func auditLinesCutAtTheWidthOpenWhole() throws {
        let events = (1...7).map { index in
            HealthObjectivesTests.alertEvent(Int64(10 + index), change: "fired", severity: "page", rule: "rule-\(index)")
        }.map { event -> Event in
            var event = event
            let details = EventDetails(
                stage: "rule-\(event.id)", outcome: "page",
                reason: "accounts in production: availability: burning the error budget fast, window number \(event.id)",
                change: "fired", objective: "availability")
            event.payload = String(decoding: try! JSONEncoder().encode(details), as: UTF8.self)
            return event
        }
        let state = Fixtures.pressing([.character("4")], in: HealthObjectivesTests.state(events: events.reversed()))
        let frame = Console.render(state)
        let cut = frame.lines.filter { $0.contains("page fired accounts") }
        #expect(cut.count == 7 && !cut.contains { $0.contains("window number") }, "the width cuts them")
        let third = Fixtures.pressing([.character("j"), .character("j"), .enter], in: state)
        #expect(third.screen == .detail)
        let detail = Console.render(third).text
        #expect(detail.contains("outcome") && detail.contains("window number 15"), "\(detail)")
        #expect(detail.contains("2026-11-29T09:28:47Z"))
    }

    /// One objective per deployment, more than fit under the health list: the table follows
    /// the selected deployment down.
    @Test func theObjectivesTableScrollsWithTheSelection() throws {
        var snapshot = RichFixtures.snapshot
        snapshot.objectives = Fixtures.fleet.map { row in
            let status = SLOStatus(
                objective: HealthObjectivesTests.availability, window: (total: 100, bad: 0), lastHour: (total: 100, bad: 0))
            return SLOLine(component: row.component, environment: row.environment, status: status, minutes: [], end: HealthObjectivesTests.end)
        }
        let initial = ConsoleState(header: Fixtures.header, size: TerminalSize(rows: 24, columns: 80), now: Self.now)
        let health = Fixtures.pressing([.character("3")], in: Console.update(initial, .loaded(snapshot, Fixtures.header)).0)
        func objectives(_ state: ConsoleState) -> [String] {
            Console.render(state).lines.filter { $0.contains("availability") }
        }
        #expect(objectives(health).count == 4)
        #expect(!objectives(health).contains { $0.hasPrefix("landing-page") })
        #expect(Console.render(health).text.contains("SERVICE LEVEL OBJECTIVES 1-4 of 9"))
        let bottom = Fixtures.pressing([.character("G")], in: health)
        #expect(objectives(bottom).contains { $0.hasPrefix("landing-page") && $0.contains("production") }, "\(Console.render(bottom).text)")
        #expect(Console.render(bottom).text.contains("SERVICE LEVEL OBJECTIVES 6-9 of 9"))
    }
}
