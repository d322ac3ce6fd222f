import Foundation

/// A rollback across hosts without a rebuild. Each host has its own router and slots, so a
/// release is warm for the placement only when its up hosts, enough of them, all run it in the
/// same idle colour, as they publish it in the store (each agent's route and slot records).
extension HostFleetDeployment {
    /// Whether a release can be had on the hosts by a switch.
    enum Warmth: Equatable {
        /// Every up host of the placement, at least `min_healthy` of them, runs it in this colour,
        /// which none of them sends its traffic to.
        case warm(SlotColor)
        /// Why a switch would not do, for the one line a rollback says before it rebuilds.
        case cold(String)
    }

    /// The idle colour `version` runs in on the placement's hosts (`live`, the store's one
    /// colour, does not say what each host's router does); otherwise says why the rollback rebuilds.
    public func warmColor(running version: String, live: SlotColor?) async -> SlotColor? {
        switch warmth(of: version) {
        case .warm(let color):
            return color
        case .cold(let why):
            engine.output("\(version) is not warm on the hosts (\(why)): rebuilding it on each")
            return nil
        }
    }

    func warmth(of version: String) -> Warmth {
        do throws(SlipwayError) {
            return Self.warmth(
                of: version, component: component.name, environment: environment, placement: placement,
                hosts: try store.hosts(), routes: try store.routes(), slots: try store.slots(), at: engine.clock.now())
        } catch {
            return .cold("the hosts' records cannot be read: \(error.message)")
        }
    }

    /// The version the placement's up hosts run in `color`, when they agree on one: what a
    /// switch by hand to it puts live.
    func version(runningIn color: SlotColor) throws(SlipwayError) -> String? {
        let up = Set(try store.hosts().filter { placement.hosts.contains($0.host) && $0.isUp(at: engine.clock.now()) }.map(\.host))
        let versions = Set(try store.slots().filter {
            up.contains($0.host) && $0.component == component.name && $0.environment == environment && $0.color == color.rawValue
                && $0.state == .running
        }.map(\.version))
        return versions.count == 1 ? versions.first : nil
    }

    /// Whether `version` of `component` is warm on `placement`'s hosts as `hosts`, `routes` and
    /// `slots` record them at `now`. A host that is down is left out (its switch would fail as
    /// down); an up one without the release in its idle colour makes the rollback a rebuild.
    static func warmth(
        of version: String, component: String, environment: String, placement: HostPlacement,
        hosts: [HostRecord], routes: [RouteRecord], slots: [SlotRecord], at now: Date
    ) -> Warmth {
        var idle: [(host: String, color: SlotColor)] = []
        for host in placement.hosts where hosts.first(where: { $0.host == host })?.isUp(at: now) == true {
            let route = routes.first { $0.hostName == host && $0.component == component && $0.environment == environment }
            guard let live = route?.liveColor.flatMap(SlotColor.init(rawValue:)) else {
                return .cold("\(host) sends no traffic of \(component) to a colour")
            }
            let warm = slots.contains {
                $0.host == host && $0.component == component && $0.environment == environment && $0.color == live.other.rawValue
                    && $0.state == .running && $0.version == version
            }
            guard warm else { return .cold("\(host) runs no \(version) in its idle \(live.other) slot") }
            idle.append((host, live.other))
        }
        let colors = Set(idle.map(\.color))
        guard colors.count <= 1 else {
            return .cold("its idle colour differs from host to host: "
                + idle.map { "\($0.host) \($0.color)" }.joined(separator: ", "))
        }
        guard let color = colors.first, idle.count >= placement.minHealthy else {
            return .cold("\(idle.count) of \(placement.hosts.count) hosts are up with it, min_healthy is \(placement.minHealthy)")
        }
        return .warm(color)
    }
}
