/// The component screen's `HOSTS` section: per environment the total over the hosts, then one
/// line per host with its state, its own router's live colour and the version of each colour.
/// What does not fit is said, never cut: versions beyond the width, hosts beyond the height.
struct HostsView {
    static let stateWidth = 12
    static let colorWidth = 7
    static let versionWidth = 12

    /// Each panel with the fleet row's live colour, which the total counts.
    let panels: [(panel: HostPanel, live: String?)]
    let symbols: SymbolSet

    /// Draws from `top` up to (not into) `bottom`; answers the row after the section.
    func draw(into frame: inout Frame, row top: Int, bottom: Int) -> Int {
        guard !panels.isEmpty, top < bottom else { return top }
        let width = min(16, panels.flatMap { $0.panel.hosts.map(\.name.count) }.max() ?? 0) + 2
        let versionsCut = panels.contains { panel in
            panel.panel.hosts.contains { versionsText(of: $0, columns: frame.columns - 2 - width - Self.stateWidth - Self.colorWidth).cut }
        }
        frame.put("HOSTS" + (versionsCut ? " (versions hidden: widen the terminal to see)" : ""), row: top, column: 0, style: .bold)
        var row = top + 1
        let lines = panels.flatMap { [Line.total($0.panel, live: $0.live)] + $0.panel.hosts.map(Line.host) }
        for (index, line) in lines.enumerated() {
            guard row < bottom else { return row }
            // The last row left says what is left out rather than show one more line of it.
            if row == bottom - 1, index < lines.count - 1 {
                let hidden = lines[index...].count { if case .host = $0 { true } else { false } }
                frame.put("+\(hidden) host\(hidden == 1 ? "" : "s") hidden (a taller terminal shows them)", row: row, column: 2, style: .dim)
                return row + 1
            }
            switch line {
            case .total(let panel, let live):
                let x = frame.put(panel.environment, row: row, column: 0, width: ComponentView.environmentWidth)
                frame.put(panel.total(live: live, width: frame.columns - x, ellipsis: symbols.ellipsis),
                          row: row, column: x, style: panel.hostsAgree ? .plain : .colored(.inProgress))
            case .host(let host):
                drawHost(host, into: &frame, row: row, nameWidth: width)
            }
            row += 1
        }
        return row + 1
    }

    private enum Line {
        case total(HostPanel, live: String?)
        case host(HostPanel.Host)
    }

    private func drawHost(_ host: HostPanel.Host, into frame: inout Frame, row: Int, nameWidth: Int) {
        let name = TextLayout.truncate(host.name, to: nameWidth - 2, ellipsis: symbols.ellipsis)
        var x = frame.put(name, row: row, column: 2, width: nameWidth)
        let (state, style): (String, CellStyle) = switch host.state {
        case .up: ("\(symbols.health(.healthy)) up", .colored(.healthy))
        case .stopped: ("\(symbols.health(.stale)) stopped", .dim)
        case .down: ("\(symbols.health(.unhealthy)) down", .colored(.unhealthy, .bold))
        case nil: ("? never seen", .dim)
        }
        x = frame.put(state, row: row, column: x, width: Self.stateWidth, style: style)
        let color = host.liveColor ?? "-"
        // Of a host not up, nobody vouches for the colour now: it is what its router last reported.
        x = frame.put(color, row: row, column: x, width: Self.colorWidth,
                      style: host.isUp ? ComponentView.style(ofColor: color).with(.bold) : .dim)
        frame.put(versionsText(of: host, columns: frame.columns - x).text, row: row, column: x, style: host.isUp ? .plain : .dim)
    }

    /// `green 3f9a2c1b7d4e  blue 0c1d2e3f4a5b`, the live colour first, as many whole as fit in `columns`.
    private func versionsText(of host: HostPanel.Host, columns: Int) -> (text: String, cut: Bool) {
        let colors = host.versions.keys.sorted { ($0 == host.liveColor ? 0 : 1, $0) < ($1 == host.liveColor ? 0 : 1, $1) }
        var text = ""
        for color in colors {
            let version = TextLayout.truncate(host.versions[color] ?? "", to: Self.versionWidth, ellipsis: symbols.ellipsis)
            let entry = (text.isEmpty ? "" : "  ") + "\(color) \(version)"
            guard text.count + entry.count <= columns else { return (text.isEmpty ? "-" : text, true) }
            text += entry
        }
        return (text.isEmpty ? "no slots running" : text, false)
    }
}
