import Foundation
import SlipwayCore
import Testing

/// `alerts: {sinks:, routes:}`: each alert goes to the sinks of the routes it matches, in the
/// payload shape of each sink's kind, as the seed asks (critical pages, warning chats, info shows).
@Suite struct AlertRoutingTests {
    static let config = """
        alerts:
          webhook: http://127.0.0.1:9/all
          sinks:
            pager: {type: pagerduty, url: http://127.0.0.1:9/pd, routing_key_env: PD_KEY}
            chat: {type: slack, url: http://127.0.0.1:9/slack}
            board: {type: webhook, url: http://127.0.0.1:9/board}
          routes:
            - {severity: critical, sinks: [pager, chat]}
            - {severity: warning, sinks: [chat], environments: [production], components: [accounts]}
            - {severity: [info, warning], sinks: [board]}

        """

    static func alert(_ severity: AlertSeverity, _ component: String = "accounts", _ environment: String = "production", change: String = "fired") -> Alert {
        Alert(severity: severity, change: change, component: component, environment: environment, objective: "availability",
              rule: "1h/5m", message: "\(component) in \(environment): burning", time: Date(timeIntervalSince1970: 1_800_000_000))
    }

    @Test func eachAlertGoesToEverySinkOfTheRoutesItMatchesOnce() throws {
        let alerts = try WorkspaceConfig.parse(Self.config, file: "slipway.yml").alerts
        #expect(alerts.sinks(for: Self.alert(.page)) == ["webhook", "pager", "chat"])
        #expect(alerts.sinks(for: Self.alert(.ticket)) == ["webhook", "chat", "board"])
        #expect(alerts.sinks(for: Self.alert(.ticket, "billing")) == ["webhook", "board"], "the chat route is for accounts only")
        #expect(alerts.sinks(for: Self.alert(.ticket, "accounts", "staging")) == ["webhook", "board"])
        #expect(alerts.sinks(for: Self.alert(.info)) == ["webhook", "board"])
        #expect(alerts.sink(named: "pager")?.kind == .pagerduty && alerts.sink(named: "webhook")?.url == "http://127.0.0.1:9/all")
    }

    @Test func slackAndPagerDutyGetTheirOwnPayloadShapes() throws {
        let slack = try JSONSerialization.jsonObject(with: Data(AlertPayload.body(Self.alert(.page), for: .slack).utf8)) as? [String: Any]
        #expect(slack?["text"] as? String == "[CRITICAL] fired: accounts in production: burning")
        let fired = try #require(try JSONSerialization.jsonObject(
            with: Data(AlertPayload.body(Self.alert(.page), for: .pagerduty, routingKey: "R0UT1NG").utf8)) as? [String: Any])
        #expect(fired["routing_key"] as? String == "R0UT1NG" && fired["event_action"] as? String == "trigger")
        #expect(fired["dedup_key"] as? String == "accounts/production/availability/1h/5m")
        let payload = try #require(fired["payload"] as? [String: Any])
        #expect(payload["severity"] as? String == "critical" && payload["summary"] as? String == "accounts in production: burning")
        #expect(payload["source"] as? String == "slipway accounts production" && payload["timestamp"] as? String == "2027-01-15T08:00:00Z")
        let cleared = try JSONSerialization.jsonObject(
            with: Data(AlertPayload.body(Self.alert(.ticket, change: "cleared"), for: .pagerduty, routingKey: "k").utf8)) as? [String: Any]
        #expect(cleared?["event_action"] as? String == "resolve")
        #expect((cleared?["payload"] as? [String: Any])?["severity"] as? String == "warning")
    }

    @Test(arguments: [
        ("alerts:\n  routes:\n    - {severity: critical, sinks: [pager]}\n", "slipway.yml:3:36: unknown sink 'pager' in alerts.routes[0] (known: )"),
        ("alerts:\n  sinks:\n    chat: {type: slack, url: http://x}\n  routes:\n    - {severity: fatal, sinks: [chat]}\n",
         "slipway.yml:5:18: unknown severity 'fatal' (known: critical, warning, info; or page, ticket)"),
        ("alerts:\n  sinks:\n    chat: {type: slack, url: http://x}\n  routes:\n    - {severity: info, sinks: [chat], environments: [prod]}\n",
         "slipway.yml:5:54: unknown environment 'prod' in alerts.routes[0]"),
        ("alerts:\n  sinks:\n    pd: {type: pagerduty, url: http://x}\n", "slipway.yml:3:9: alerts.sinks.pd needs routing_key_env"),
        ("alerts:\n  sinks:\n    chat: {type: teams, url: http://x}\n", "slipway.yml:3:18: unknown sink type 'teams'"),
    ])
    func mistakesAreNamedAtTheirPlace(text: String, message: String) {
        let error = #expect(throws: SlipwayError.self) { try WorkspaceConfig.parse(text, file: "slipway.yml") }
        #expect(error?.message.hasPrefix(message) == true, "\(error?.message ?? "")")
    }
}
