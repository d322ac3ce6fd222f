import SlipwayCore

/// One line of the fleet screen: a component and its deployment in every environment.
struct FleetComponent: Equatable, Sendable {
    var name: String
    var kind: ComponentKind
    var technology: String
    var target: String
    /// By environment name.
    var deployments: [String: FleetRow]

    var isDeploying: Bool { deployments.values.contains { $0.runningRun != nil } }

    /// Whether `filter` occurs, ignoring case, in anything the line shows, or in the name of a
    /// host it is on (`hosts`, the snapshot's panels): `/web-2` finds what a host runs.
    func matches(_ filter: String, hosts: [HostPanel] = []) -> Bool {
        guard !filter.isEmpty else { return true }
        let shown = [name, kind.rawValue, technology, target]
            + deployments.values.flatMap { [$0.liveVersion, $0.liveColor, $0.health.rawValue].compactMap(\.self) }
            + hosts.filter { $0.component == name }.flatMap { $0.hosts.map(\.name) }
        return shown.contains { $0.localizedCaseInsensitiveContains(filter) }
    }

    /// Groups the engine's component x environment rows into lines, in workspace order.
    static func group(_ rows: [FleetRow]) -> [FleetComponent] {
        var lines: [FleetComponent] = []
        var index: [String: Int] = [:]
        for row in rows {
            let key = "\(row.kind.rawValue)/\(row.component)"
            if let position = index[key] {
                lines[position].deployments[row.environment] = row
            } else {
                index[key] = lines.count
                lines.append(FleetComponent(
                    name: row.component, kind: row.kind, technology: row.technology, target: row.target,
                    deployments: [row.environment: row]))
            }
        }
        return lines
    }

    /// `group(rows)`, given `lines` grouped from `previous` rows: only the rows that differ are
    /// put in again, so an event costs the rows it changed. Nil unless the rows are of the same
    /// shape (each component, kind, environment, technology and target where it was), which also
    /// leaves the environments and the lines' texts as they were.
    static func regroup(_ lines: [FleetComponent], from previous: [FleetRow], to rows: [FleetRow]) -> [FleetComponent]? {
        guard previous.count == rows.count else { return nil }
        var lines = lines
        // By index, so the unchanged rows are compared in place rather than each copied out first.
        for index in rows.indices where rows[index] != previous[index] {
            let row = rows[index]
            let before = previous[index]
            guard before.component == row.component, before.kind == row.kind, before.environment == row.environment,
                  before.technology == row.technology, before.target == row.target,
                  let position = lines.firstIndex(where: { $0.name == row.component && $0.kind == row.kind })
            else { return nil }
            lines[position].deployments[row.environment] = row
        }
        return lines
    }

    /// The environments in the order the rows name them first (the workspace's order).
    static func environments(in rows: [FleetRow]) -> [String] {
        var seen = Set<String>()
        return rows.map(\.environment).filter { seen.insert($0).inserted }
    }
}
