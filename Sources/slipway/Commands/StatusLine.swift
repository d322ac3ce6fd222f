import SlipwayCore

/// One row of `status --json`: the fleet row's keys, and `hosts` beside them (null for a past
/// moment, which has no hosts' records). The row is the engine's; where it runs is the read
/// model's, a layer above it, so the two meet here.
struct StatusLine: Encodable {
    var row: FleetRow
    var hosts: [FleetHost]?

    enum CodingKeys: String, CodingKey {
        case hosts
    }

    func encode(to encoder: any Encoder) throws {
        try row.encode(to: encoder)
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(hosts, forKey: .hosts)
    }
}
