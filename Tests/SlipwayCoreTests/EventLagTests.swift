import Foundation
import SlipwayCore
import Testing

/// The event-lag SLI's parts: the gauge read from a Prometheus page, the alarm, the settings.
@Suite struct EventLagTests {
    @Test func theGaugeIsReadFromAPrometheusPageAndTheWorstSampleCounts() {
        let page = """
            # HELP slipway_event_lag_seconds Seconds behind the newest event.
            # TYPE slipway_event_lag_seconds gauge
            slipway_event_lag_seconds_total 999
            slipway_event_lag_seconds{consumer="a",note="has } and \\" inside"} 12.5
            slipway_event_lag_seconds{consumer="b"} 40 1700000000000
            other_metric 1000
            """
        #expect(PrometheusGauge.value(of: "slipway_event_lag_seconds", in: page) == 40)
        #expect(PrometheusGauge.value(of: "projection_lag", in: "projection_lag 3\n") == 3)
        #expect(PrometheusGauge.value(of: "projection_lag", in: "projection_lag +Inf\n") == .infinity)
        #expect(PrometheusGauge.value(of: "slipway_event_lag_seconds", in: "other 1\n# slipway_event_lag_seconds 5\n") == nil)
        #expect(PrometheusGauge.value(of: "lag", in: "lag NaN\n") == nil, "no number is no data")
    }

    @Test func theAlarmFiresOverTheLimitOnceAndClearsWhenBack() {
        var alarm = EventLagAlarm(limitSeconds: 300)
        #expect(alarm.observe(lagSeconds: 30, objective: "event-lag-1m", minute: 1) == nil)
        #expect(alarm.observe(lagSeconds: 300, objective: "event-lag-1m", minute: 2) == nil, "at the limit is not over it")
        let fired = alarm.observe(lagSeconds: 420, objective: "event-lag-1m", minute: 3)
        #expect(fired?.change == .fired)
        #expect(fired?.severity == .page)
        #expect(fired?.message == "event-processing lag is 7m, over the 5m alarm")
        #expect(alarm.observe(lagSeconds: 900, objective: "event-lag-1m", minute: 4) == nil, "told once")
        #expect(alarm.observe(lagSeconds: 10, objective: "event-lag-1m", minute: 5)?.change == .cleared)
        var restored = EventLagAlarm(limitSeconds: 300, firing: true)
        #expect(restored.observe(lagSeconds: 600, objective: "event-lag-1m", minute: 6) == nil, "a restored alarm is not raised again")
    }

    @Test func settingsDefaultToTheSeedAndNameTheirPlace() throws {
        let defaults = try WorkspaceConfig.parse("slo:\n  event_lag: true\n", file: "slipway.yml").componentDefaults.slo
        #expect(defaults.eventLag == EventLagSettings())
        #expect(defaults.objectives.last == ServiceLevelObjective.seedLag, "95% of events within 1 min")
        #expect(defaults.eventLag?.alarm == 300)
        #expect(defaults.eventLag?.metric == "slipway_event_lag_seconds")
        #expect(try WorkspaceConfig.parse("slo:\n  availability: 99\n", file: "slipway.yml").componentDefaults.slo.eventLag == nil)

        let custom = try WorkspaceConfig.parse(
            "slo:\n  event_lag:\n    metric: projection_lag\n    within: 30s\n    target: 99\n    alarm: 2m\n    path: /lag\n",
            file: "slipway.yml").componentDefaults.slo
        #expect(custom.eventLag?.objective.name == "event-lag-30s")
        #expect(custom.eventLag?.objective.target == 99)
        #expect(custom.eventLag?.alarm == 120)
        #expect(custom.eventLag?.path == "/lag")

        #expect {
            try WorkspaceConfig.parse("slo:\n  event_lag:\n    metric: 9-lives\n", file: "slipway.yml")
        } throws: { error in
            (error as? SlipwayError)?.message == "slipway.yml:3:13: slo.event_lag.metric must be a Prometheus metric name, found '9-lives'"
        }
        #expect {
            try WorkspaceConfig.parse("slo:\n  event_lag:\n    lag: 1m\n", file: "slipway.yml")
        } throws: { error in
            (error as? SlipwayError)?.message.hasPrefix("slipway.yml:3:5: unknown key 'lag' in slo.event_lag") == true
        }
    }
}
