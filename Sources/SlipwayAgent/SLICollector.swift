import Foundation
import Logging
import SlipwayCore

/// Turns the router's cumulative per-colour counters into per-minute SLI aggregates in the store:
/// each pass diffs every route against the previous pass and adds the difference to the current
/// minute. An actor: its passes come from the agent's own timer task.
actor SLICollector {
    let root: URL
    let store: EventStore
    /// The previous snapshot per route and colour.
    private var previous: [String: AgentResponse.ColorCounts] = [:]

    init(root: URL, store: EventStore) {
        self.root = root
        self.store = store
    }

    func collect(from router: any RouterLink, now: Date = Date()) async {
        guard let routes = try? store.routes(on: .thisHost) else { return }
        // Objectives come from the workspace's settings; a broken file leaves the seed's defaults.
        let workspace = try? Workspace.load(at: root)
        let minute = SLIMinute.number(of: now)
        var increments: [SLIIncrement] = []
        for route in routes {
            let name = "\(route.component)/\(route.environment)"
            guard let counts = try? await router.counts(name) else { continue }
            let objectives = (workspace?.components.first { $0.name == route.component }?.settings.slo ?? SLOSettings()).objectives
            for (color, later) in counts {
                let key = "\(name)/\(color)"
                let earlier = previous[key]
                previous[key] = later
                // The first pass only takes the baseline: what came before was counted by an earlier agent, or never.
                guard earlier != nil else { continue }
                for objective in objectives {
                    let (total, bad) = objective.counts(from: earlier, to: later)
                    guard total > 0 else { continue }
                    increments.append(SLIIncrement(
                        component: route.component, environment: route.environment, objective: objective.name,
                        minute: SLIMinute(minute: minute, total: total, bad: bad)))
                }
            }
        }
        if !increments.isEmpty {
            do {
                try store.add(increments, now: now)
            } catch {
                AgentLog.logger.error("cannot store SLI minutes: \(error)")
            }
        }
    }
}
