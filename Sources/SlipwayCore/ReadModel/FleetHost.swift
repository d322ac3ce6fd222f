import Foundation

/// One host's part of a component in an environment: the colour its own router sends traffic
/// to and the releases its slots run. A component placed on several hosts (`hosts:`) has one
/// per host, each with a router of its own, so they may differ while a deploy moves host by host.
public struct FleetHost: Sendable, Equatable, Encodable {
    public var host: String
    public var state: HostSummary.State
    /// The colour this host's router sends the traffic to; nil when it has no route for it.
    public var liveColor: String?
    /// The version each running slot serves, by colour.
    public var versions: [String: String]

    public init(host: String, state: HostSummary.State, liveColor: String?, versions: [String: String]) {
        self.host = host
        self.state = state
        self.liveColor = liveColor
        self.versions = versions
    }

    enum CodingKeys: String, CodingKey {
        case host, state, liveColor = "live_color", versions
    }

    /// `component`'s parts in `environment` on the hosts of `summaries` that route it or run a slot of it.
    public static func parts(of component: String, in environment: String, from summaries: [HostSummary]) -> [FleetHost] {
        summaries.compactMap { summary in
            let route = summary.routes.first { $0.component == component && $0.environment == environment }
            let slots = summary.slots.filter { $0.component == component && $0.environment == environment }
            guard route != nil || !slots.isEmpty else { return nil }
            return FleetHost(
                host: summary.host, state: summary.state, liveColor: route?.liveColor,
                versions: Dictionary(slots.map { ($0.color, $0.version) }) { first, _ in first })
        }
    }
}
