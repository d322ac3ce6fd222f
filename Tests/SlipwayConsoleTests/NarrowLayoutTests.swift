import Foundation
import Testing
@testable import SlipwayConsole
@testable import SlipwayCore

/// At 60x15 the screens choose what to show, say what they left out, never cut a figure, and
/// keep the filter and the way out in view.
@Suite struct NarrowLayoutTests {
    static let narrow = TerminalSize(rows: 15, columns: 60)

    @Test func theFleetLeavesOutWholeEnvironmentsAndSaysWhich() throws {
        let frame = Console.render(RichFixtures.state(size: Self.narrow))
        let heading = try #require(frame.line(containing: "COMPONENT")).text
        #expect(heading.split(separator: " ") == ["COMPONENT", "development", "staging"], "\(heading)")
        #expect(frame.text.contains("+1 env hidden: production"), "\(frame.text)")
        let accounts = try #require(frame.line(containing: "accounts")).text
        #expect(accounts.hasSuffix("3f9a2c1b7d4e green ●"), "the colour is never cut: \(accounts)")
        // After `:env production` the fleet's actions go there: that environment shows.
        let production = Fixtures.pressing([.character(":")] + Fixtures.typing("env production") + [.enter], in: RichFixtures.state(size: Self.narrow))
        let shifted = Console.render(production)
        #expect(try #require(shifted.line(containing: "COMPONENT")).text.split(separator: " ") == ["COMPONENT", "development", "production"])
        #expect(shifted.text.contains("+1 env hidden: staging"))
    }

    @Test func aFigureIsLeftOutRatherThanCut() throws {
        var state = RichFixtures.on(.health, RichFixtures.state(size: Self.narrow))
        state.snapshot.metrics?[0].counts?["green"]?.p95Milliseconds = 52.7
        let frame = Console.render(state)
        let cutUnit = try Regex(#"\d\.\dm( |$)"#)
        for line in frame.lines {
            #expect(line.firstMatch(of: cutUnit) == nil, "a figure cut mid-unit: \(line)")
        }
        #expect(frame.text.contains("52.7ms") || frame.text.contains("P95"), "\(frame.text)")
        #expect(frame.text.contains("hidden: ERRORS, REQ/ERR"), "\(frame.text)")
        // Wider, the same table shows them all and says nothing is hidden.
        let wide = Console.render(RichFixtures.on(.health, RichFixtures.state(size: TerminalSize(rows: 24, columns: 120))))
        #expect(!wide.text.contains("hidden"))
    }

    @Test(arguments: ConsoleScreen.allCases)
    func theFooterAlwaysKeepsHelpAndQuit(screen: ConsoleScreen) {
        let state = RichFixtures.on(screen, RichFixtures.state(size: Self.narrow))
        let footer = Console.render(state).lines.last ?? ""
        #expect(footer.hasSuffix("? help  q quit"), "\(screen): \(footer)")
        #expect(footer.count <= Self.narrow.columns)
    }

    @Test func anActiveFilterStaysInViewBesideAMessage() throws {
        var state = Fixtures.pressing([.character("/")] + Fixtures.typing("acc") + [.enter], in: RichFixtures.state(size: Self.narrow))
        state.statusMessage = "cannot read the store: the disk is full"
        let status = Console.render(state).lines[Self.narrow.rows - 2]
        #expect(status.hasPrefix("filter /acc  (esc clears)"), "\(status)")
        #expect(status.contains("cannot read the store"))
    }

    @Test func theObjectivesSayWhichColumnsTheyLeftOut() throws {
        let state = Fixtures.pressing([.character("3")], in: HealthObjectivesTests.state(size: Self.narrow))
        let frame = Console.render(state)
        let title = try #require(frame.line(containing: "OBJECTIVES")).text
        #expect(title.hasPrefix("OBJECTIVES 1-1 of 2; hidden: TARGET, CURRENT"), "\(frame.text)")
        let heading = try #require(frame.line(containing: "OBJECTIVE ")).text
        #expect(heading.contains("BUDGET") && !heading.contains("TARGET"), "what is wrong before what was aimed at: \(heading)")
        #expect(try #require(frame.lines.first { $0.hasPrefix("accounts") && $0.contains("availability") }).contains("spent"))
        for line in frame.lines {
            #expect(line.count <= Self.narrow.columns)
        }
    }
}
