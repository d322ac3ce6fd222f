import Foundation
import SlipwayCore

/// Probes every live release (the slot with the traffic), each at its component's `health.interval`,
/// so `status`, the console and `slo` show a failing release as unhealthy within seconds
/// without anyone running `health-check-all`. Runs in a task of its own (one pass at a time, so
/// its state needs no lock): a slow probe never holds up the agent's other work.
final class LiveHealthWatch: @unchecked Sendable {
    let root: URL
    let store: EventStore
    private var health: [String: LiveHealth] = [:]
    private var lastProbe: [String: Date] = [:]
    /// When each route's probe was last written, and what it said: a probe every 100 ms need
    /// not be a write every 100 ms, since health is called unknown only after 5 s.
    private var lastSaved: [String: (at: Date, healthy: Bool)] = [:]
    private var workspace: (loaded: Date, value: Workspace)?

    init(root: URL, store: EventStore) {
        self.root = root
        self.store = store
    }

    /// A pass every `pause` seconds of `clock` while `running` says so.
    func watch(clock: any EngineClock, pause: Double, while running: @escaping @Sendable () -> Bool) async {
        while running() {
            await probeDue(now: clock.now())
            do {
                try await clock.sleep(seconds: pause)
            } catch {
                return
            }
        }
    }

    /// One pass: probes the routes whose interval has passed.
    func probeDue(now: Date) async {
        if workspace.map({ now.timeIntervalSince($0.loaded) > 10 }) ?? true, let loaded = try? Workspace.load(at: root) {
            workspace = (now, loaded)
        }
        guard let workspace = workspace?.value, let routes = try? store.routes(on: .thisHost), let slots = try? store.slots(on: .thisHost) else { return }
        var states: [Projection.Key: DeploymentState]?
        for route in routes {
            guard let live = route.liveColor,
                  let slot = slots.first(where: {
                      $0.component == route.component && $0.environment == route.environment && $0.color == live && $0.state == .running
                  }),
                  let component = try? workspace.component(named: route.component) else { continue }
            let settings = component.settings.health
            let key = "\(route.component)/\(route.environment)"
            guard now.timeIntervalSince(lastProbe[key] ?? .distantPast) >= settings.interval else { continue }
            lastProbe[key] = now
            // The live slot itself, not through the router: a probe is not a user's request and
            // must not count in the router's figures, the SLIs or a canary's judgement.
            let answer = await HTTPProbe(port: slot.port, path: settings.path, timeout: settings.timeout).perform()
            let healthy: Bool
            let detail: String
            switch answer {
            case .success(let response):
                healthy = (200..<300).contains(response.status)
                detail = "live probe: GET \(settings.path) answered \(response.status)"
            case .failure(let error):
                healthy = false
                detail = "live probe: GET \(settings.path): \(error.message)"
            }
            let savedRecently = lastSaved[key].map { $0.healthy == healthy && now.timeIntervalSince($0.at) < 1 } ?? false
            if !savedRecently {
                try? store.save(LiveProbe(component: route.component, environment: route.environment, checkedAt: now, healthy: healthy))
                lastSaved[key] = (now, healthy)
            }
            if health[key] == nil {
                states = states ?? (try? store.projection().states)
                health[key] = LiveHealth(
                    recorded: states?[.init(component: route.component, environment: route.environment)]?.lastHealth?.healthy)
            }
            guard let change = health[key]?.take(healthy: healthy) else { continue }
            _ = try? store.append(NewEvent(
                .healthChecked, component: route.component, environment: route.environment,
                details: EventDetails(version: slot.version, color: live, reason: detail, healthy: change)))
        }
    }
}
