import Foundation
import Logging
import SlipwayCore

/// Reads the event-processing lag gauge of every component that declares `slo.event_lag`, from
/// its live slot, on each SLI pass: each reading is one event of the lag objective (bad when
/// over `within`), and readings over `alarm` raise the SLI alarm. An endpoint that is down or
/// lacks the gauge adds nothing: no data is not good data. Runs in a task of its own, one pass
/// at a time.
final class EventLagScraper: @unchecked Sendable {
    let root: URL
    let store: EventStore
    /// Alarms by `component/environment`; nil until read from the store.
    private var alarms: [String: EventLagAlarm]?

    /// The name the alarm's state is kept under in the store.
    static let stateName = "event-lag-alarm"

    init(root: URL, store: EventStore) {
        self.root = root
        self.store = store
    }

    /// A pass every `pause` seconds of `clock` while `running` says so.
    func watch(clock: any EngineClock, pause: Double, while running: @escaping @Sendable () -> Bool) async {
        while running() {
            do {
                try await clock.sleep(seconds: pause)
            } catch {
                return
            }
            await scrape(now: clock.now())
        }
    }

    func scrape(now: Date) async {
        guard let workspace = try? Workspace.load(at: root), let routes = try? store.routes(on: .thisHost), let slots = try? store.slots(on: .thisHost)
        else { return }
        let declaring = routes.compactMap { route -> (RouteRecord, EventLagSettings)? in
            let settings = workspace.components.first { $0.name == route.component }?.settings.slo.eventLag
            return settings.map { (route, $0) }
        }
        guard !declaring.isEmpty else { return }
        if alarms == nil {
            guard let stored = try? store.alertStates() else { return }
            alarms = [:]
            for state in stored where state.objective == Self.stateName {
                alarms?["\(state.component)/\(state.environment)"] = EventLagAlarm(
                    limitSeconds: 0, firing: state.firingRules.contains(EventLagAlarm.rule))
            }
        }
        let minute = SLIMinute.number(of: now)
        var increments: [SLIIncrement] = []
        var states: [AlertStateRecord] = []
        var alerts: [Alert] = []
        var updated = alarms ?? [:]
        for (route, settings) in declaring {
            guard let live = route.liveColor, let slot = slots.first(where: {
                $0.component == route.component && $0.environment == route.environment && $0.color == live && $0.state == .running
            }) else { continue }
            var probe = HTTPProbe(port: slot.port, path: settings.path, timeout: 1)
            probe.bodyLimit = 1 << 16
            guard case .success(let response) = await probe.perform(), (200..<300).contains(response.status),
                  let lag = PrometheusGauge.value(of: settings.metric, in: response.body) else { continue }
            let objective = settings.objective
            increments.append(SLIIncrement(
                component: route.component, environment: route.environment, objective: objective.name,
                minute: SLIMinute(minute: minute, total: 1, bad: lag > settings.within ? 1 : 0)))
            let key = "\(route.component)/\(route.environment)"
            var alarm = updated[key] ?? EventLagAlarm(limitSeconds: settings.alarm)
            alarm.limitSeconds = settings.alarm
            if let change = alarm.observe(lagSeconds: lag, objective: objective.name, minute: minute) {
                alerts.append(Alert(change, component: route.component, environment: route.environment, time: now))
                states.append(AlertStateRecord(
                    component: route.component, environment: route.environment, objective: Self.stateName,
                    firing: alarm.firing ? [EventLagAlarm.rule] : [], evaluatedAt: now))
            }
            updated[key] = alarm
        }
        do {
            try store.add(increments, now: now)
            try store.save(states, raising: alerts, routing: workspace.config.alerts)
            alarms = updated
        } catch {
            AgentLog.logger.error("cannot record the event lag: \(error)")
        }
    }
}
