import Foundation
import Testing
@testable import SlipwayConsole
@testable import SlipwayCore

/// The health screen's recovery objectives: per component database the newest recoverable
/// point's age against the RPO and the last drill's restore time against the RTO, from the
/// values `backup status --json` gives.
@Suite struct HealthRecoveryTests {
    /// A status as `backup status --json` prints it (its fields, snake case), then the drill set.
    static func status(
        _ component: String, _ environment: String, age: Double?, rpo: ObjectiveState, drill: (ok: Bool, seconds: Double)?, rto: ObjectiveState
    ) throws -> DatabaseBackupStatus {
        let json = """
            {"component": "\(component)", "environment": "\(environment)", "database": "main", \
            \(age.map { "\"age_seconds\": \($0)," } ?? "") "rpo_seconds": 3600, "rpo": "\(rpo.rawValue)", "within_rpo": \(rpo == .ok), \
            "rto_seconds": 14400, "rto": "\(rto.rawValue)", "base_backups": 1, "logical_backups": 0, "wal_segments": 3}
            """
        var status = try JSONDecoder().decode(DatabaseBackupStatus.self, from: Data(json.utf8))
        status.lastDrill = drill.map { drill in
            RestoreDrill(
                component: component, environment: environment, time: Fixtures.now, ok: drill.ok, backup: "base-1",
                recoveredTo: nil, seconds: drill.seconds, summary: drill.ok ? "1 user table, 2 rows" : "replay stopped")
        }
        return status
    }

    static func state(size: TerminalSize, symbols: SymbolSet = .unicode) throws -> ConsoleState {
        var snapshot = RichFixtures.snapshot
        snapshot.objectives = [HealthObjectivesTests.burning, HealthObjectivesTests.quiet]
        snapshot.recovery = [
            try status("accounts", "production", age: 754, rpo: .ok, drill: (true, 3.24), rto: .ok),
            try status("billing", "staging", age: nil, rpo: .breached, drill: nil, rto: .unknown),
            try status("ledger", "production", age: 5_400, rpo: .breached, drill: (false, 12), rto: .breached),
        ]
        let initial = ConsoleState(header: Fixtures.header, size: size, now: Fixtures.now, symbols: symbols)
        return Fixtures.pressing([.character("3")], in: Console.update(initial, .loaded(snapshot, Fixtures.header)).0)
    }

    static func words(_ line: String) -> [String] { line.split(separator: " ").map(String.init) }

    @Test(arguments: [TerminalSize(rows: 24, columns: 80), TerminalSize(rows: 60, columns: 200)])
    func eachDatabaseShowsItsRPOAndRTO(size: TerminalSize) throws {
        let frame = Console.render(try Self.state(size: size))
        #expect(frame.text.contains("SERVICE LEVEL OBJECTIVES"), "the SLOs stay above")
        let title = try #require(frame.line(containing: "RECOVERY OBJECTIVES"))
        let heading = frame.lines[title.row + 1]
        #expect(Self.words(heading) == ["COMPONENT", "ENV", "DATABASE", "RPO", "NEWEST", "POINT", "RTO", "LAST", "RESTORE"], "\(heading)")
        // At 24 rows the SLOs keep their half: two of the three databases show, and the title says so.
        let shown = size.rows >= 60 ? 3 : 2
        #expect(title.text.hasPrefix(shown == 3 ? "RECOVERY OBJECTIVES (newest recoverable point" : "RECOVERY OBJECTIVES 1-2 of 3"), "\(frame.text)")
        let rows = Array(frame.lines[(title.row + 2)...].prefix(shown)).map(Self.words)
        #expect(rows[0] == ["accounts", "production", "main", "ok", "12m", "of", "1h", "ok", "3.2s", "of", "4h"], "\(rows[0])")
        #expect(rows[1] == ["billing", "staging", "main", "breached", "none", "of", "1h", "unknown", "never", "of", "4h"], "\(rows[1])")
        if shown == 3 {
            #expect(rows[2] == ["ledger", "production", "main", "breached", "1.5h", "of", "1h", "breached", "failed", "of", "4h"], "\(rows[2])")
        }

        let ok = try #require(frame.lines[title.row + 2].range(of: " ok "))
        let okColumn = frame.lines[title.row + 2].distance(from: frame.lines[title.row + 2].startIndex, to: ok.lowerBound) + 1
        #expect(frame[title.row + 2, okColumn].style.role == .healthy)
        let breached = frame.lines[title.row + 3].distance(
            from: frame.lines[title.row + 3].startIndex, to: try #require(frame.lines[title.row + 3].range(of: "breached")).lowerBound)
        #expect(frame[title.row + 3, breached].style.role == .unhealthy)
    }

    @Test func theHealthFilterNarrowsTheDatabasesToo() throws {
        let state = Fixtures.pressing([.character("/")] + Fixtures.typing("ledger") + [.enter], in: try Self.state(size: TerminalSize(rows: 40, columns: 120)))
        let lines = Console.render(state).lines
        #expect(lines.contains { $0.hasPrefix("ledger") && $0.contains("failed of 4h") })
        #expect(!lines.contains { $0.hasPrefix("accounts") && $0.contains("of 1h") })
    }

    @Test func noComponentDatabaseLeavesTheScreenAsItWas() {
        let frame = Console.render(HealthObjectivesTests.state())
        #expect(!frame.text.contains("RECOVERY OBJECTIVES"))
    }

    @Test func spansKeepTheShortUnit() {
        #expect(RecoveryTable.span(3.24) == "3.2s")
        #expect(RecoveryTable.span(42) == "42s")
        #expect(RecoveryTable.span(754) == "12m")
        #expect(RecoveryTable.span(3_600) == "1h")
        #expect(RecoveryTable.span(5_400) == "1.5h")
        #expect(RecoveryTable.span(172_800) == "2d")
    }
}
