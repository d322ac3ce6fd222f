import SlipwayCore

/// A component on several hosts in one environment, each host as its agent last published it
/// (`HostSummary`): what the component screen lists host by host and in total, and what tells
/// the fleet row that the hosts disagree (a deploy moving host by host, a host down).
struct HostPanel: Equatable, Sendable {
    /// One host of the placement, or one that runs the component without being placed.
    struct Host: Equatable, Sendable {
        var name: String
        /// nil for a host whose agent never recorded a heartbeat.
        var state: HostSummary.State?
        /// The colour this host's own router sends the traffic to; nil when it has no route.
        var liveColor: String?
        /// The version each running slot serves, by colour.
        var versions: [String: String]

        var isUp: Bool { state == .up }
    }

    var component: String
    var environment: String
    var hosts: [Host]
    /// From `min_healthy`; nil when no placement names the hosts.
    var minHealthy: Int?

    /// A panel per component and environment that `hosts:` places or that runs on more than one
    /// host, in workspace order; placed hosts first, in the placement's order.
    static func panels(in workspace: Workspace, summaries: [HostSummary]) -> [HostPanel] {
        // Without a placement a panel needs two hosts: most workspaces have neither, and every
        // load would otherwise look each component and environment up in the summaries.
        guard summaries.count > 1 || placesHosts(in: workspace) else { return [] }
        return workspace.components.flatMap { component in
            workspace.config.environments.compactMap { environment -> HostPanel? in
                let placement = component.settings.placements[environment.name]
                let parts = FleetHost.parts(of: component.name, in: environment.name, from: summaries)
                let placed = placement?.hosts ?? []
                guard !placed.isEmpty || parts.count > 1 else { return nil }
                let names = placed + parts.map(\.host).filter { !placed.contains($0) }
                let hosts = names.map { name in
                    let part = parts.first { $0.host == name }
                    let summary = summaries.first { $0.host == name }
                    return Host(
                        name: name, state: summary?.lastSeen == nil ? nil : summary?.state,
                        liveColor: part?.liveColor, versions: part?.versions ?? [:])
                }
                return HostPanel(component: component.name, environment: environment.name, hosts: hosts, minHealthy: placement?.minHealthy)
            }
        }
    }

    /// Whether a component of `workspace` names hosts to place it on, in any environment.
    static func placesHosts(in workspace: Workspace) -> Bool {
        workspace.components.contains { component in component.settings.placements.values.contains { !$0.hosts.isEmpty } }
    }

    /// The colour the total counts: `live` (the fleet row's) when given, else the one most up hosts route to.
    func countedColor(live: String?) -> String? {
        live ?? colorsByHosts.first?.color
    }

    /// Up hosts whose router sends the traffic to `color`.
    func hostsUp(on color: String?) -> Int {
        hosts.count { $0.isUp && $0.liveColor != nil && $0.liveColor == color }
    }

    /// Whether the hosts tell one story: each up, on one colour, serving one version there.
    /// A single host always does: there is nothing to disagree with.
    var hostsAgree: Bool {
        guard hosts.count > 1 else { return true }
        let colors = Set(hosts.map(\.liveColor))
        guard hosts.allSatisfy(\.isUp), colors.count == 1, let color = colors.first ?? nil else { return false }
        return Set(hosts.map { $0.versions[color] }).count == 1
    }

    /// `traffic on green on 2 of 3 hosts, on blue on 1, 1 down, 1 never seen (min_healthy 2)`: whole
    /// clauses while they fit in `width`, then `ellipsis` for those left out (never half a figure).
    func total(live: String?, width: Int = .max, ellipsis: String = "…") -> String {
        let counted = countedColor(live: live)
        let plural = hosts.count == 1 ? "" : "s"
        var clauses = [counted.map { "traffic on \($0) on \(hostsUp(on: $0)) of \(hosts.count) host\(plural)" }
            ?? "no traffic routed on any of \(hosts.count) host\(plural)"]
        clauses += colorsByHosts.filter { $0.color != counted }.map { ", on \($0.color) on \($0.count)" }
        let unrouted = hosts.count { $0.isUp && $0.liveColor == nil }
        if counted != nil, unrouted > 0 { clauses.append(", \(unrouted) with no route") }
        for (state, word) in [(HostSummary.State.down, "down"), (.stopped, "stopped")] {
            let count = hosts.count { $0.state == state }
            if count > 0 { clauses.append(", \(count) \(word)") }
        }
        let unseen = hosts.count { $0.state == nil }
        if unseen > 0 { clauses.append(", \(unseen) never seen") }
        if let minHealthy { clauses.append(" (min_healthy \(minHealthy))") }
        var text = ""
        for (index, clause) in clauses.enumerated() {
            let room = index == clauses.count - 1 ? width : width - ellipsis.count
            guard text.count + clause.count <= room else { return text + ellipsis }
            text += clause
        }
        return text
    }

    /// The colours up hosts route to, most hosts first (then by name, so the order is stable).
    private var colorsByHosts: [(color: String, count: Int)] {
        let colors = hosts.filter(\.isUp).compactMap(\.liveColor)
        return Set(colors).map { color in (color: color, count: colors.count { $0 == color }) }
            .sorted { ($1.count, $0.color) < ($0.count, $1.color) }
    }
}
