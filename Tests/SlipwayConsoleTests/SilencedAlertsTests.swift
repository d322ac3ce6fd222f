import Foundation
import SlipwayCore
import Testing
@testable import SlipwayConsole

/// The alerts screen marks an alert a silence in force keeps from its sinks, with its end.
@Suite struct SilencedAlertsTests {
    static func alert(_ environment: String) -> FiringAlert {
        FiringAlert(
            component: "accounts", environment: environment, objective: "availability", rule: "1h/5m", severity: .page,
            message: "accounts in \(environment): burning", since: Fixtures.now - 120, eventID: 1)
    }

    @Test func anAlertASilenceMatchesShowsSilencedUntilItsEnd() {
        let silence = AlertSilence(
            severity: .page, component: nil, environment: "production", startsAt: Fixtures.now - 60, endsAt: Fixtures.now + 3600,
            reason: "failover", actor: "ana")
        let alerts = FiringAlert.marking([Self.alert("production"), Self.alert("staging")], silencedBy: [silence])
        #expect(alerts[0].silencedUntil == Fixtures.now + 3600 && alerts[1].silencedUntil == nil)

        let header = Fixtures.header
        let initial = ConsoleState(header: header, size: TerminalSize(rows: 24, columns: 200), now: Fixtures.now)
        let loaded = Console.update(initial, .loaded(ConsoleSnapshot(rows: Fixtures.fleet, runs: [], alerts: alerts), header)).0
        let lines = Console.render(Fixtures.pressing([.character("5")], in: loaded)).lines
        let production = lines.first { $0.contains("accounts in production") } ?? ""
        #expect(production.contains("silenced until 2026-11-29 10:30:12: accounts in production: burning"), "\(lines)")
        let staging = lines.first { $0.contains("accounts in staging") } ?? ""
        #expect(!staging.contains("silenced"), "\(staging)")
    }
}
