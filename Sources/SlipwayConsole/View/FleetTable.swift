import SlipwayCore

/// The fleet screen's table: one line per component, one column group per environment
/// (live version, colour, health, deploy in progress or release waiting for a switch), then
/// technology and target. Where a component's hosts disagree, on how many of them the colour is
/// live stands in place of the version (`2/3 hosts green`).
struct FleetTable: ListView {
    static let versionWidth = 12
    static let colorWidth = 5
    static let gap = 2
    /// Version, space, colour, space, health mark, progress mark.
    static let groupWidth = versionWidth + 1 + colorWidth + 1 + 2

    let components: [FleetComponent]
    /// The environments shown, in workspace order.
    let environments: [String]
    /// Those left out for want of width.
    let hiddenEnvironments: [String]
    let symbols: SymbolSet
    let workspace: String
    /// The firing alerts: a deployment with one is never drawn plain green.
    let alerts: [FiringAlert]
    /// The deployments on several hosts: one whose hosts disagree says so in place of its version.
    let hosts: [HostPanel]
    private let nameWidth: Int
    private let technologyWidth: Int
    private let targetWidth: Int
    private let showsTechnology: Bool
    private let showsTarget: Bool

    /// Column widths come from the `lengths` of all components, so the columns stay put while a
    /// filter narrows the list to `components`. Environments that do not fit `width` are left out
    /// whole (never a colour cut to `gre`), the one `:env` chose (`preferred`) last.
    init(
        components: [FleetComponent], lengths: FleetTextLengths, environments: [String], symbols: SymbolSet,
        workspace: String, width: Int = .max, preferred: String? = nil, alerts: [FiringAlert] = [], hosts: [HostPanel] = []
    ) {
        self.components = components
        self.alerts = alerts
        self.hosts = hosts
        self.symbols = symbols
        self.workspace = workspace
        nameWidth = TextLayout.columnWidth(longest: lengths.name, heading: "COMPONENT", limit: 24)
        technologyWidth = TextLayout.columnWidth(longest: lengths.technology, heading: "TECHNOLOGY", limit: 14)
        targetWidth = TextLayout.columnWidth(longest: lengths.target, heading: "TARGET", limit: 18)
        let group = Self.groupWidth + Self.gap
        let fitting = max(1, (width - nameWidth - Self.gap) / group)
        let order = environments.filter { $0 == preferred } + environments.filter { $0 != preferred }
        let kept = Set(order.prefix(fitting))
        self.environments = environments.filter(kept.contains)
        hiddenEnvironments = environments.filter { !kept.contains($0) }
        let used = nameWidth + Self.gap + group * self.environments.count
        showsTechnology = used + technologyWidth <= width
        showsTarget = showsTechnology && used + technologyWidth + Self.gap + targetWidth <= width
    }

    var count: Int { components.count }

    var emptyMessage: String { "no components in \(workspace): add apps/<name> or services/<name>" }

    var hiddenNote: String? {
        let columns = (showsTechnology ? [] : ["TECHNOLOGY"]) + (showsTarget ? [] : ["TARGET"])
        let environments = hiddenEnvironments.isEmpty ? nil
            : "+\(hiddenEnvironments.count) env\(hiddenEnvironments.count == 1 ? "" : "s") hidden: "
                + hiddenEnvironments.joined(separator: ", ")
        let others = columns.isEmpty ? nil : "\(columns.joined(separator: ", ")) hidden"
        let notes = [environments, others].compactMap(\.self)
        return notes.isEmpty ? nil : notes.joined(separator: "; ") + " (widen the terminal to see)"
    }

    func drawHeading(into frame: inout Frame, row: Int) {
        var x = frame.put("COMPONENT", row: row, column: 0, width: nameWidth + Self.gap, style: .bold)
        for environment in environments {
            let title = TextLayout.truncate(environment, to: Self.groupWidth, ellipsis: symbols.ellipsis)
            x = frame.put(title, row: row, column: x, width: Self.groupWidth + Self.gap, style: .bold)
        }
        guard showsTechnology else { return }
        x = frame.put("TECHNOLOGY", row: row, column: x, width: technologyWidth + Self.gap, style: .bold)
        guard showsTarget else { return }
        frame.put("TARGET", row: row, column: x, width: targetWidth, style: .bold)
    }

    func drawItem(at index: Int, into frame: inout Frame, row: Int) {
        let component = components[index]
        let name = TextLayout.truncate(component.name, to: nameWidth, ellipsis: symbols.ellipsis)
        var x = frame.put(name, row: row, column: 0, width: nameWidth + Self.gap)
        for environment in environments {
            x = drawDeployment(component.deployments[environment], into: &frame, row: row, column: x)
        }
        guard showsTechnology else { return }
        let technology = TextLayout.truncate(component.technology, to: technologyWidth, ellipsis: symbols.ellipsis)
        x = frame.put(technology, row: row, column: x, width: technologyWidth + Self.gap)
        guard showsTarget else { return }
        let target = TextLayout.truncate(component.target, to: targetWidth, ellipsis: symbols.ellipsis)
        frame.put(target, row: row, column: x, width: targetWidth)
    }

    private func drawDeployment(_ deployment: FleetRow?, into frame: inout Frame, row: Int, column: Int) -> Int {
        let panel = deployment.flatMap { deployment in
            hosts.first { $0.component == deployment.component && $0.environment == deployment.environment && !$0.hostsAgree }
        }
        var x: Int
        var color = deployment?.liveColor ?? "-"
        if let panel {
            // No one version or colour is true of every host: say on how many the row's colour is live.
            let counted = panel.countedColor(live: deployment?.liveColor)
            color = counted ?? "-"
            x = frame.put("\(panel.hostsUp(on: counted))/\(panel.hosts.count) hosts", row: row, column: column,
                          width: Self.versionWidth + 1, style: .colored(.inProgress, .bold))
        } else {
            let version = deployment?.liveVersion.map {
                TextLayout.truncate($0, to: Self.versionWidth, ellipsis: symbols.ellipsis)
            }
            x = frame.put(
                version ?? "-", row: row, column: column, width: Self.versionWidth + 1, style: version == nil ? .dim : .plain)
        }
        let colorStyle: CellStyle = switch color {
        case "blue": .colored(.blue)
        case "green": .colored(.green)
        default: .dim
        }
        x = frame.put(color, row: row, column: x, width: Self.colorWidth + 1, style: colorStyle)
        let health = deployment?.health ?? .unknown
        let alert = deployment.flatMap { deployment in
            alerts.filter { $0.component == deployment.component && $0.environment == deployment.environment }
                .max { $0.severity < $1.severity }
        }
        let healthStyle: CellStyle = switch health {
        case .healthy: alert == nil ? .colored(.healthy) : .colored(.inProgress, .bold)
        case .unhealthy: .colored(.unhealthy, .bold)
        case .unknown, .stale: .dim
        }
        // A page firing outranks a passing probe: the service answers, but its users are failing.
        if let alert, alert.isPaging {
            x = frame.put(symbols.alarm, row: row, column: x, width: 1, style: .colored(.unhealthy, .bold))
        } else {
            x = frame.put(symbols.health(health), row: row, column: x, width: 1, style: healthStyle)
        }
        if deployment?.runningRun != nil {
            return frame.put(symbols.inProgress, row: row, column: x, width: 1 + Self.gap, style: .colored(.inProgress, .bold))
        }
        // The last deploy failed (the release before it still serves): never shown like a success.
        if deployment?.ready == nil, let outcome = deployment?.lastOutcome, outcome == "failed" || outcome == "interrupted" {
            return frame.put(symbols.alarm, row: row, column: x, width: 1 + Self.gap, style: .colored(.unhealthy, .bold))
        }
        // A release waiting for a switch (`auto_promote: false`), in the colour it waits in.
        guard let ready = deployment?.ready else { return frame.put("", row: row, column: x, width: 1 + Self.gap) }
        return frame.put(symbols.waiting, row: row, column: x, width: 1 + Self.gap, style: ComponentView.style(ofColor: ready.color))
    }
}
