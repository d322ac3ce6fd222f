import Foundation
import SlipwayCore
import SlipwayTestSupport
import Testing

/// `slipway alerts silence` and `alerts silences`: a silence has an end and a reason, is
/// recorded in the audit, and needs the deployer role where it applies.
@Suite struct AlertSilenceCommandTests {
    @Test func aSilenceIsRecordedListedAndRefusedToAViewer() throws {
        let workspace = try FakeCloudWorkspace.create()
        try workspace.write(["slipway.yml": "roles:\n  production:\n    deployer: [alice]\n"])
        let slipway = SlipwayProcess(workspace)
        let alice = ["SLIPWAY_ACTOR": "alice"]

        let noReason = try slipway("alerts", "silence", "--env", "production", "--for", "1h", environment: alice)
        #expect(noReason.status == 2 && noReason.stderr.contains("alerts silence needs --reason TEXT"), "\(noReason.stderr)")
        let noEnd = try slipway("alerts", "silence", "--env", "production", "--reason", "x", environment: alice)
        #expect(noEnd.status == 2 && noEnd.stderr.contains("needs an end: --for DURATION or --until TIME"), "\(noEnd.stderr)")

        let refused = try slipway("alerts", "silence", "--severity", "critical", "--env", "production", "--for", "1h", "--reason", "db failover")
        #expect(refused.status == 1 && refused.stderr.contains("refused: alerts silence needs the deployer role in production; tester"),
                "\(refused.stderr)")

        let silenced = try slipway(
            "alerts", "silence", "--severity", "critical", "--component", "accounts", "--env", "production", "--for", "2h",
            "--reason", "db failover", environment: alice)
        #expect(silenced.status == 0, "\(silenced.stderr)")
        #expect(silenced.stdout.contains("silenced page alerts of accounts in production until "), "\(silenced.stdout)")

        let listed = try slipway("alerts", "silences", "--json").stdout
        let silences = try #require(try JSONSerialization.jsonObject(with: Data(listed.utf8)) as? [[String: Any]])
        #expect(silences.count == 1, "\(listed)")
        #expect(silences.first?["reason"] as? String == "db failover" && silences.first?["severity"] as? String == "page")
        #expect(silences.first?["actor"] as? String == "alice" && silences.first?["environment"] as? String == "production")

        let events = try slipway("events", "--json").stdout.split(separator: "\n")
        let audit = try #require(events.first { $0.contains("alert.silenced") }, "\(events)")
        #expect(audit.contains("db failover") && audit.contains(#""actor":"alice""#) && audit.contains(#""seconds":7200"#), "\(audit)")
    }
}
