import Foundation

/// One host of the fleet as `slipway hosts` and `status` show it: whether its agent is up, its
/// router's routes and its running slots.
public struct HostSummary: Sendable, Equatable, Encodable {
    public enum State: String, Sendable, Encodable {
        /// Its agent beat within `HostRecord.staleAfter`.
        case up
        /// Its agent said it stopped (`agent stop`, or its idle exit).
        case stopped
        /// Its agent was not seen for `HostRecord.staleAfter`, or never recorded a heartbeat.
        case down

        init(of record: HostRecord?, at now: Date) {
            guard let record else { self = .down; return }
            if record.isUp(at: now) {
                self = .up
            } else {
                self = record.stoppedAt == nil ? .down : .stopped
            }
        }
    }

    public var host: String
    public var state: State
    /// nil for a host whose records name it but whose agent never recorded a heartbeat.
    public var lastSeen: Date?
    public var version: String?
    public var routes: [RouteRecord]
    /// Its slots that run (or are meant to: a crashed one is restarted by its agent).
    public var slots: [SlotRecord]

    /// Every host the registry or a local record names, by name: the registry says up or down,
    /// the records what runs where.
    public static func summaries(
        hosts: [HostRecord], routes: [RouteRecord], slots: [SlotRecord], now: Date
    ) -> [HostSummary] {
        let names = Set(hosts.map(\.host) + routes.map(\.hostName) + slots.map(\.host)).sorted()
        return names.map { name in
            let record = hosts.first { $0.host == name }
            return HostSummary(
                host: name, state: State(of: record, at: now), lastSeen: record?.lastSeen, version: record?.version,
                routes: routes.filter { $0.hostName == name },
                slots: slots.filter { $0.host == name && $0.state == .running })
        }
    }

    enum CodingKeys: String, CodingKey {
        case host, state, lastSeen = "last_seen", version, routes, slots
    }

    enum RouteKeys: String, CodingKey {
        case component, environment, url, liveColor = "live_color", greenWeight = "green_weight"
    }

    enum SlotKeys: String, CodingKey {
        case component, environment, color, version, port, pid
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(host, forKey: .host)
        try container.encode(state, forKey: .state)
        try container.encode(lastSeen, forKey: .lastSeen)
        try container.encode(version, forKey: .version)
        var routeList = container.nestedUnkeyedContainer(forKey: .routes)
        for route in routes {
            var item = routeList.nestedContainer(keyedBy: RouteKeys.self)
            try item.encode(route.component, forKey: .component)
            try item.encode(route.environment, forKey: .environment)
            try item.encode(route.url, forKey: .url)
            try item.encode(route.liveColor, forKey: .liveColor)
            try item.encode(route.greenWeight, forKey: .greenWeight)
        }
        var slotList = container.nestedUnkeyedContainer(forKey: .slots)
        for slot in slots {
            var item = slotList.nestedContainer(keyedBy: SlotKeys.self)
            try item.encode(slot.component, forKey: .component)
            try item.encode(slot.environment, forKey: .environment)
            try item.encode(slot.color, forKey: .color)
            try item.encode(slot.version, forKey: .version)
            try item.encode(slot.port, forKey: .port)
            try item.encode(slot.pid, forKey: .pid)
        }
    }
}

extension RouteRecord {
    /// Where the route's router listens for it.
    public var url: String { "http://\(host):\(port)" }
}
