/// Where a `local` component's slots run in one environment when that is more than this host
/// (`hosts:` in the component's `environments.<name>` block): each named host's agent runs its
/// own slots behind its own router, and a deploy moves traffic only once `minHealthy` of them
/// have the release healthy.
public struct HostPlacement: Sendable, Equatable {
    /// In what order the hosts that are ready get the traffic.
    public enum SwitchOrder: String, Sendable, Equatable, CaseIterable {
        /// Every ready host at once.
        case together
        /// One host after another, each switch confirmed before the next.
        case oneByOne = "one-by-one"
    }

    public var hosts: [String]
    public var minHealthy: Int
    public var switchOrder: SwitchOrder
    /// Where `hosts:` was set, so a component that cannot be placed is named at that place.
    public var location: ConfigLocation?

    public init(hosts: [String], minHealthy: Int? = nil, switchOrder: SwitchOrder = .together, location: ConfigLocation? = nil) {
        self.hosts = hosts
        self.minHealthy = minHealthy ?? hosts.count
        self.switchOrder = switchOrder
        self.location = location
    }

    static let keys = ["hosts", "min_healthy", "host_switch"]
    static let aliases = ["minHealthy": "min_healthy", "hostSwitch": "host_switch"]

    /// The placement an environment's fields give, nil when they name no hosts; `min_healthy` and
    /// `host_switch` without `hosts` are refused at their place.
    static func parse(_ fields: [String: ConfigNode]) throws(SlipwayError) -> HostPlacement? {
        guard let hostsNode = fields["hosts"] else {
            if let stray = fields["min_healthy"] ?? fields["host_switch"] {
                throw stray.location.error("min_healthy and host_switch need hosts: in the same environment")
            }
            return nil
        }
        let entries = try hostsNode.stringEntries("hosts")
        let hosts = entries.map(\.value)
        guard !hosts.isEmpty else { throw hostsNode.location.error("hosts must name at least one host") }
        // Each refusal points at the entry itself, not at the list.
        if let bad = entries.first(where: { !HostPlacement.isValidName($0.value) }) {
            throw bad.node.location.error("host name '\(bad.value)' must be letters, digits, '.', '-' or '_'")
        }
        if let twice = entries.enumerated().first(where: { index, entry in hosts[..<index].contains(entry.value) })?.element {
            throw twice.node.location.error("host '\(twice.value)' is named twice in hosts")
        }
        var placement = HostPlacement(hosts: hosts, location: hostsNode.location)
        if let node = fields["min_healthy"] { placement.minHealthy = try node.int("min_healthy", in: 1...hosts.count) }
        if let node = fields["host_switch"] {
            let text = try node.string("host_switch")
            guard let order = SwitchOrder(rawValue: text) else {
                let known = SwitchOrder.allCases.map(\.rawValue).joined(separator: " or ")
                throw node.location.error("host_switch must be \(known), found '\(text)'")
            }
            placement.switchOrder = order
        }
        return placement
    }

    static func isValidName(_ name: String) -> Bool {
        !name.isEmpty && name.utf8.allSatisfy { byte in
            (byte >= 0x30 && byte <= 0x39) || (byte >= 0x41 && byte <= 0x5A) || (byte >= 0x61 && byte <= 0x7A)
                || byte == 0x2E || byte == 0x2D || byte == 0x5F
        }
    }
}
