import SlipwayCore

/// A `switch: dns` component's record in one environment, as its config names it: what the
/// component screen shows, so a switch's record and TTL are in view while resolvers catch up.
struct DNSCutoverPanel: Equatable, Sendable {
    var component: String
    var environment: String
    var zone: String
    var record: String
    /// Seconds resolvers may keep the old answer after a switch.
    var ttl: Int
    var blue: String
    var green: String

    /// Every DNS cutover the workspace declares, in component and environment order.
    static func panels(in workspace: Workspace) -> [DNSCutoverPanel] {
        workspace.components.filter(\.settings.switchesByDNS).flatMap { component in
            workspace.config.environments.compactMap { environment -> DNSCutoverPanel? in
                guard let settings = component.settings.cloudflare(in: environment.name), let zone = settings.zone,
                      let record = settings.record, let blue = settings.blue, let green = settings.green else { return nil }
                return DNSCutoverPanel(
                    component: component.name, environment: environment.name, zone: zone, record: record, ttl: settings.ttl,
                    blue: blue, green: green)
            }
        }
    }

    func content(of color: String) -> String? {
        switch color {
        case "blue": blue
        case "green": green
        default: nil
        }
    }
}
