import Foundation
import Testing
@testable import SlipwayConsole
@testable import SlipwayCore

/// The health screen's projection rebuilds: a running rebuild's progress bar with its rate and
/// time left, and the outcome of the others, above the recovery objectives.
@Suite struct HealthProjectionsTests {
    static func rebuild(
        _ component: String, _ projection: String, phase: ProjectionRebuild.Phase, position: Int64? = nil, total: Int64? = nil,
        rate: Double? = nil, failedStep: String? = nil
    ) -> ProjectionRebuild {
        var rebuild = ProjectionRebuild(component: component, environment: "production", projection: projection, table: projection)
        rebuild.attempt = ProjectionRebuild.Attempt(
            version: 2, table: "\(projection)_v2", started: Fixtures.now, phase: phase, position: position, total: total, rate: rate,
            failedStep: failedStep)
        if phase == .switched { rebuild.liveVersion = 2 }
        return rebuild
    }

    static func state(symbols: SymbolSet = .unicode, filter: String? = nil) -> ConsoleState {
        var snapshot = RichFixtures.snapshot
        snapshot.objectives = [HealthObjectivesTests.burning]
        snapshot.projections = [
            rebuild("accounts", "orders_view", phase: .rebuilding, position: 300, total: 1000, rate: 50),
            rebuild("billing", "invoices", phase: .differs, position: 40, total: 40),
            rebuild("ledger", "balances", phase: .switched),
        ]
        let initial = ConsoleState(header: Fixtures.header, size: TerminalSize(rows: 40, columns: 120), now: Fixtures.now, symbols: symbols)
        var keys: [ConsoleKey] = [.character("3")]
        if let filter { keys += [.character("/")] + Fixtures.typing(filter) + [.enter] }
        return Fixtures.pressing(keys, in: Console.update(initial, .loaded(snapshot, Fixtures.header)).0)
    }

    static func words(_ line: String) -> [String] { line.split(separator: " ").map(String.init) }

    @Test func aRunningRebuildShowsItsBarRateAndTimeLeft() throws {
        let frame = Console.render(Self.state())
        #expect(frame.text.contains("SERVICE LEVEL OBJECTIVES"), "the SLOs stay above")
        let title = try #require(frame.line(containing: "PROJECTION REBUILDS"), "\(frame.text)")
        #expect(title.text.hasPrefix(ProjectionTable.title))
        #expect(Self.words(frame.lines[title.row + 1]) == ["COMPONENT", "ENV", "PROJECTION", "LIVE", "REBUILD", "PROGRESS", "RATE", "LEFT"])
        let rows = frame.lines[(title.row + 2)...].prefix(3).map(Self.words)
        // 700 left at 50 a second: 14 seconds.
        #expect(rows[0] == ["accounts", "production", "orders_view", "v1", "v2", "rebuilding", "███░░░░░░░░░", "30%", "50/s", "14s"], "\(rows[0])")
        #expect(rows[1] == ["billing", "production", "invoices", "v1", "v2", "differs", "████████████", "100%", "-", "-"], "\(rows[1])")
        #expect(rows[2] == ["ledger", "production", "balances", "v2", "v2", "switched", "████████████", "100%", "-", "-"], "\(rows[2])")
        let differs = frame.lines[title.row + 3]
        let column = differs.distance(from: differs.startIndex, to: try #require(differs.range(of: "v2 differs")).lowerBound)
        #expect(frame[title.row + 3, column].style.role == .unhealthy)
    }

    @Test func asciiBarsAndTheFilter() throws {
        let frame = Console.render(Self.state(symbols: .ascii, filter: "orders"))
        let row = try #require(frame.line(containing: "orders_view"))
        #expect(row.text.contains("###---------  30%  50/s"), "\(row.text)")
        #expect(frame.line(containing: "invoices") == nil)
    }

    @Test func noRebuildLeavesTheScreenAsItWas() {
        #expect(!Console.render(HealthObjectivesTests.state()).text.contains("PROJECTION REBUILDS"))
    }
}
