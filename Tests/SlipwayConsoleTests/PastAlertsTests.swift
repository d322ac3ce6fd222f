import Foundation
import SlipwayCore
import Testing
@testable import SlipwayConsole

/// The past view's alerts are those firing at the moment, read from the store's alert events up
/// to it: before, they were left empty, so a moment in the middle of an outage showed no alert.
@Suite struct PastAlertsTests {
    @Test func aMomentShowsTheAlertsFiringThenNotThoseOfNow() async throws {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("past-alerts-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder.appendingPathComponent("apps"), withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: folder) }
        let engine = try await Engine.open(
            workspace: folder, state: folder.appendingPathComponent(".slipway/state.db"), output: { _ in })
        let store = engine.store
        func raise(_ change: SLOAlert.Change, rule: String) throws {
            let alert = SLOAlert(change: change, severity: .page, objective: "availability", rule: rule, minute: 1, message: rule)
            try store.raise(Alert(alert, component: "accounts", environment: "production"), routing: AlertSettings())
        }
        func mark() throws -> Int64 { try #require(try store.latestEvent()).id }

        try raise(.fired, rule: "1h/5m")
        let duringTheFirst = try mark()
        try raise(.cleared, rule: "1h/5m")
        let quiet = try mark()
        try raise(.fired, rule: "6h/30m")

        func alerts(through id: Int64) throws -> [String] {
            let target = PastView.Target.step(from: id, by: 0)
            guard case .pastLoaded(_, let loaded, let snapshot) = PastLoader(engine: engine).load(target) else {
                Issue.record("the past did not load")
                return []
            }
            #expect(loaded?.id == id)
            return snapshot.alerts.map(\.rule)
        }
        #expect(try alerts(through: duringTheFirst) == ["1h/5m"])
        #expect(try alerts(through: quiet) == [])
        #expect(try alerts(through: try mark()) == ["6h/30m"])
    }
}
