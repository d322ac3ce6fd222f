import Foundation
import SlipwayCore
import Testing
@testable import SlipwayConsole

/// Alerts as the agent raises them into the real store, read back the way the console's watcher does.
@Suite struct StoredAlertsTests {
    @Test func raisedAlertsReadBackAsFiringUntilCleared() throws {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("alerts-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: folder) }
        let store = try SQLiteStore(path: folder.appendingPathComponent("state.db"), actor: "agent")
        func raise(_ change: SLOAlert.Change, _ severity: AlertSeverity, rule: String, objective: String = "availability") throws {
            let alert = SLOAlert(change: change, severity: severity, objective: objective, rule: rule, minute: 1, message: "\(objective) \(rule)")
            try store.raise(Alert(alert, component: "accounts", environment: "production"), routing: AlertSettings())
        }
        try raise(.fired, .page, rule: "1h/5m")
        try raise(.fired, .page, rule: "1h/5m", objective: "latency-2s")
        try raise(.fired, .ticket, rule: "6h/30m")
        try raise(.budgetCrossed, .info, rule: "50%")
        _ = try store.append(NewEvent(.healthChecked, component: "accounts", environment: "production", details: EventDetails(healthy: true)))
        var firing = FiringAlert.firing(in: try store.latestEvents(kind: .alertRaised, limit: 500))
        #expect(firing.map { "\($0.objective) \($0.rule) \($0.severity.rawValue)" }.sorted() == [
            "availability 1h/5m page", "availability 6h/30m ticket", "latency-2s 1h/5m page",
        ])
        #expect(firing.first?.message == "accounts in production: latency-2s 1h/5m", "the newest page first")
        try raise(.cleared, .page, rule: "1h/5m")
        firing = FiringAlert.firing(in: try store.latestEvents(kind: .alertRaised, limit: 500))
        #expect(firing.map { "\($0.objective) \($0.rule)" } == ["latency-2s 1h/5m", "availability 6h/30m"])
        #expect(try store.latestEvents(kind: .alertRaised, limit: 2).count == 2)
    }
}
