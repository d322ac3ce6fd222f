import Foundation
import Testing
@testable import SlipwayConsole
@testable import SlipwayCore

/// A request the agent refused before its run began shows on the audit screen with its reason,
/// since its requester may not be there to read it.
@Suite struct RejectedRequestAuditTests {
    @Test func aRejectedRequestIsAnAuditLineWithItsReason() throws {
        let details = EventDetails(
            runKind: .deploy, stage: "deploy accounts to production", reason: "unknown component 'accounts'")
        let event = Event(
            id: 42, time: Fixtures.now - 5, actor: "agent", kind: EventKind.requestRejected.rawValue, schemaVersion: 1,
            component: "accounts", environment: "production", runID: "r-1",
            payload: String(decoding: try JSONEncoder().encode(details), as: UTF8.self))
        let entry = try #require(AuditEntry(event))
        #expect(entry.action == "deploy" && entry.actor == "agent")
        #expect(entry.outcome == "rejected: unknown component 'accounts'")

        let state = Fixtures.pressing(
            [.character("4")], in: HealthObjectivesTests.state(size: TerminalSize(rows: 24, columns: 120), events: [event]))
        let line = Console.render(state).lines.first { $0.contains("rejected") }
        #expect(line?.contains("deploy") == true && line?.contains("unknown component 'accounts'") == true, "\(Console.render(state).text)")
    }
}
