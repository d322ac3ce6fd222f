import Foundation
import SlipwayCore

/// The component screen: one component in every environment (live colour, health, traffic
/// share, run in progress or release waiting for a switch), its hosts when it is placed on
/// several, both slots of each, and its last events.
struct ComponentView {
    static let environmentWidth = 13

    let state: ConsoleState

    /// Draws from `top`; the environment rows are the screen's list, selected in reverse video.
    func draw(into frame: inout Frame, top: Int) {
        let rows = state.componentRows
        let symbols = state.symbols
        var x = 0
        for (heading, width) in [("ENV", Self.environmentWidth), ("LIVE", 7), ("HEALTH", 12), ("TRAFFIC", 22), ("RUN / WAITING", 24)] {
            x = frame.put(heading, row: top - 1, column: x, width: width, style: .bold)
        }
        guard !rows.isEmpty else {
            frame.put(state.hasLoaded ? "no component '\(state.component ?? "")'" : "loading" + symbols.ellipsis,
                      row: top, column: 0, style: .dim)
            return
        }
        var row = top
        for (index, deployment) in rows.enumerated() {
            drawEnvironment(deployment, into: &frame, row: row)
            if index == state.selection { frame.highlight(row: row) }
            row += 1
        }
        row += 1
        let bottom = frame.rows - 2
        // Canaries come before the slots: while one runs, it is what the operator watches.
        for deployment in rows {
            guard let canary = state.snapshot.canary(deployment.component, deployment.environment) else { continue }
            let view = CanaryView(canary: canary, now: state.now, symbols: state.symbols, keyHint: canaryKeyHint(canary))
            row = view.draw(into: &frame, row: row, bottom: bottom) + 1
        }
        // Where each host of a placement stands: while a deploy moves host by host, this is its progress.
        let panels = rows.compactMap { deployment in
            state.snapshot.hosts(deployment.component, deployment.environment).map { (panel: $0, live: deployment.liveColor) }
        }
        row = HostsView(panels: panels, symbols: symbols).draw(into: &frame, row: row, bottom: bottom)
        row = drawCutovers(rows, into: &frame, row: row, bottom: bottom)
        row = drawPlatform(rows, into: &frame, row: row, bottom: bottom)
        guard row < bottom else { return }
        frame.put("SLOTS", row: row, column: 0, style: .bold)
        row += 1
        for deployment in rows {
            for slot in state.snapshot.slots(deployment.component, deployment.environment).sorted(by: { ($0.color, $0.host) < ($1.color, $1.host) }) {
                guard row < bottom else { return }
                drawSlot(slot, live: deployment.liveColor == slot.color ? deployment.health : nil, into: &frame, row: row)
                row += 1
            }
        }
        if state.snapshot.slots.allSatisfy({ $0.component != state.component }) {
            guard row < bottom else { return }
            frame.put("no slots (target \(rows[0].target) has none here)", row: row, column: 0, style: .dim)
            row += 1
        }
        row += 1
        guard row < bottom else { return }
        frame.put("LAST EVENTS", row: row, column: 0, style: .bold)
        row += 1
        for event in state.snapshot.events where event.component == state.component {
            guard row < bottom else { return }
            var x = frame.put(TimeText.stamp(event.time), row: row, column: 0, width: 16)
            x = frame.put(event.actor, row: row, column: x, width: 10)
            x = frame.put(event.environment ?? "-", row: row, column: x, width: Self.environmentWidth)
            x = frame.put(event.kind, row: row, column: x, width: 20)
            frame.put(Self.detail(of: event), row: row, column: x, style: .dim)
            row += 1
        }
    }

    /// `DNS CUTOVER`: per environment the record, its TTL, each colour's content and which one the
    /// record gives now; during a run, that resolvers follow a switch only as their caches expire.
    private func drawCutovers(_ rows: [FleetRow], into frame: inout Frame, row top: Int, bottom: Int) -> Int {
        let panels = rows.compactMap { deployment in
            state.snapshot.cutover(deployment.component, deployment.environment).map { (panel: $0, deployment: deployment) }
        }
        guard !panels.isEmpty, top < bottom else { return top }
        frame.put("DNS CUTOVER", row: top, column: 0, style: .bold)
        var row = top + 1
        let records = panels.map { "\($0.panel.record) (\($0.panel.zone), ttl \($0.panel.ttl)s)" }
        let width = (records.map(\.count).max() ?? 0) + 2
        for ((panel, deployment), record) in zip(panels, records) {
            guard row < bottom else { return row }
            var x = frame.put(panel.environment, row: row, column: 0, width: Self.environmentWidth)
            x = frame.put(record, row: row, column: x, width: width)
            for color in ["blue", "green"] {
                let live = deployment.liveColor == color
                let text = "\(color) \(panel.content(of: color) ?? "-")\(live ? " (live)" : "")"
                x = frame.put(text, row: row, column: x, width: 24, style: live ? Self.style(ofColor: color).with(.bold) : .dim)
            }
            if let run = deployment.runningRun {
                let text = "\(state.symbols.inProgress) \(run): resolvers follow within \(panel.ttl)s"
                frame.put(TextLayout.truncate(text, to: max(0, frame.columns - x), ellipsis: state.symbols.ellipsis),
                          row: row, column: x, style: .colored(.inProgress))
            }
            row += 1
        }
        return row + 1
    }

    /// `LIVE TRAFFIC`: per environment of a cloud component, the split and versions its platform
    /// reports and each share's figures over the reading's window, labelled with their source;
    /// or the one line saying why there are none.
    private func drawPlatform(_ rows: [FleetRow], into frame: inout Frame, row top: Int, bottom: Int) -> Int {
        let readings = rows.compactMap { deployment in
            state.snapshot.reading(deployment.component, deployment.environment).flatMap { _ in
                HealthFigures.of(deployment, in: state.snapshot).map { (deployment: deployment, figures: $0) }
            }
        }
        guard !readings.isEmpty, top < bottom else { return top }
        frame.put("LIVE TRAFFIC (from the platform)", row: top, column: 0, style: .bold)
        var row = top + 1
        for (deployment, figures) in readings {
            guard row < bottom else { return row }
            var x = frame.put(deployment.environment, row: row, column: 0, width: Self.environmentWidth)
            // A window only where there are figures over it.
            let counted = figures.problem == nil && figures.shares.contains { $0.requests != nil }
            let window = counted ? figures.window.map { " \(TimeText.clock($0.start).prefix(5))-\(TimeText.clock($0.end).prefix(5))" } ?? "" : ""
            x = frame.put("\(figures.source)\(window)", row: row, column: x, width: 32, style: .dim)
            if let remark = figures.problem ?? figures.note {
                frame.put(TextLayout.truncate(remark, to: max(0, frame.columns - x), ellipsis: state.symbols.ellipsis), row: row, column: x,
                          style: figures.problem == nil ? .dim : .colored(.unhealthy))
            }
            row += 1
            for share in figures.shares {
                guard row < bottom else { return row }
                let live = share.name == figures.live
                let name = TextLayout.truncate(share.name, to: Self.environmentWidth - 3, ellipsis: state.symbols.ellipsis)
                var x = frame.put(name, row: row, column: 2, width: Self.environmentWidth - 2,
                                  style: Self.style(ofColor: share.name).with(live ? .bold : .normal))
                x = frame.put(TextLayout.truncate(share.version ?? "-", to: 14, ellipsis: state.symbols.ellipsis), row: row, column: x, width: 15)
                x = frame.put(share.percent.map(Self.percent) ?? "-", row: row, column: x, width: 7)
                frame.put(Self.figures(of: share), row: row, column: x, style: share.requests == nil ? .dim : .plain)
                row += 1
            }
        }
        return row + 1
    }

    /// `120 req  0.8% errors  p95 45.0ms`, or `no figures`.
    static func figures(of share: PlatformShare) -> String {
        guard let requests = share.requests else { return "no figures" }
        let rate = share.errorRate.map { String(format: "%.1f%%", $0) } ?? "-"
        let p95 = share.p95Milliseconds.map { String(format: "%.1fms", $0) } ?? "-"
        return "\(requests) req  \(rate) errors  p95 \(p95)"
    }

    /// `P promote  p pause  u resume  A abort (on the selected environment)`, from the binding table.
    private func canaryKeyHint(_ canary: CanaryPanel) -> String? {
        guard canary.isLive, !state.readOnly, state.roleRefusal(.canaryAbort, in: canary.environment) == nil else { return nil }
        let actions: [ConsoleAction] = [.canaryPromote, .canaryPause, .canaryResume, .canaryAbort]
        let keys = actions.compactMap { action in
            state.bindings.first { $0.action == action && $0.applies(to: .component) }.map {
                "\($0.footerLabel) \($0.description.replacingOccurrences(of: "canary: ", with: ""))"
            }
        }
        return keys.joined(separator: "  ") + "  (on the selected environment)"
    }

    private func drawEnvironment(_ deployment: FleetRow, into frame: inout Frame, row: Int) {
        var x = frame.put(deployment.environment, row: row, column: 0, width: Self.environmentWidth)
        let color = deployment.liveColor ?? "-"
        x = frame.put(color, row: row, column: x, width: 7, style: Self.style(ofColor: color))
        let health = "\(state.symbols.health(deployment.health)) \(deployment.health.rawValue)"
        x = frame.put(health, row: row, column: x, width: 12, style: deployment.health == .unhealthy ? .colored(.unhealthy) : .plain)
        let traffic = state.snapshot.route(deployment.component, deployment.environment).map {
            "blue \(100 - $0.greenWeight)%  green \($0.greenWeight)%"
        } ?? state.snapshot.reading(deployment.component, deployment.environment).flatMap(Self.split(of:)) ?? "-"
        x = frame.put(traffic, row: row, column: x, width: 22)
        if let run = deployment.runningRun {
            frame.put("\(state.symbols.inProgress) \(run)", row: row, column: x, width: 24, style: .colored(.inProgress, .bold))
        } else if let ready = deployment.ready {
            let text = "\(ready.color) \(ready.version) ready, waiting for switch"
            frame.put(TextLayout.truncate(text, to: frame.columns - x, ellipsis: state.symbols.ellipsis),
                      row: row, column: x, style: Self.style(ofColor: ready.color).with(.bold))
        } else {
            frame.put("-", row: row, column: x, width: 24, style: .dim)
        }
    }

    private func drawSlot(_ slot: SlotRecord, live health: HealthState?, into frame: inout Frame, row: Int) {
        var x = frame.put(slot.environment, row: row, column: 0, width: Self.environmentWidth)
        x = frame.put(slot.color, row: row, column: x, width: 7, style: Self.style(ofColor: slot.color))
        x = frame.put(TextLayout.truncate(slot.version, to: 14, ellipsis: state.symbols.ellipsis), row: row, column: x, width: 15)
        let ready = state.snapshot.state(slot.component, slot.environment)?.ready
        let waiting = health == nil && ready?.color == slot.color && ready?.version == slot.version
        guard slot.state == .running else {
            // A stopped slot's start time says nothing about how long it has been down.
            let since = stoppedAt(slot).map { " since \(TimeText.stamp($0))" } ?? ""
            x = frame.put("\(slot.state.rawValue)\(since)", row: row, column: x, width: 46, style: .dim)
            frame.put("restarts \(slot.restarts)\(hostText(of: slot))", row: row, column: x, style: .dim)
            return
        }
        let role = health.map { "live, \($0.rawValue)" } ?? (waiting ? "idle, waiting for switch" : "idle")
        x = frame.put("\(slot.state), \(role)", row: row, column: x, width: waiting ? 35 : 24)
        x = frame.put("since \(TimeText.stamp(slot.startedAt))", row: row, column: x, width: 22)
        frame.put("restarts \(slot.restarts)\(hostText(of: slot))", row: row, column: x, style: .dim)
    }

    /// `  on web-1` when the fleet's slots run on more than one host; nothing on one host.
    private func hostText(of slot: SlotRecord) -> String {
        Set(state.snapshot.slots.map(\.host)).count > 1 ? "  on \(slot.host)" : ""
    }

    /// When `slot` last stopped or crashed, from the recent events (nil when that is older than them).
    private func stoppedAt(_ slot: SlotRecord) -> Date? {
        state.snapshot.events.first { event in
            (event.knownKind == .slotStopped || event.knownKind == .slotCrashed) && event.component == slot.component
                && event.environment == slot.environment && event.details?.color == slot.color
                && event.time >= slot.startedAt
        }?.time
    }

    /// `blue 90%  green 10%` or `v2 90%  v1 10%`, as the platform last reported it.
    static func split(of reading: PlatformReading) -> String? {
        let shares = reading.shares.filter { $0.percent != nil }
        guard !shares.isEmpty else { return nil }
        return shares.map { "\($0.name) \(percent($0.percent ?? 0))" }.joined(separator: "  ")
    }

    /// `90%`, `2.5%`: tenths only when there are some.
    static func percent(_ value: Double) -> String {
        let tenths = (value * 10).rounded()
        return tenths.truncatingRemainder(dividingBy: 10) == 0 ? "\(Int(tenths / 10))%" : "\(tenths / 10)%"
    }

    static func style(ofColor color: String) -> CellStyle {
        switch color {
        case "blue": .colored(.blue)
        case "green": .colored(.green)
        default: .dim
        }
    }

    static func detail(of event: Event) -> String {
        guard let details = event.details else { return "" }
        return [
            details.runKind?.rawValue, details.stage, details.version, details.color, details.outcome, details.reason,
        ].compactMap(\.self).joined(separator: " ")
    }
}
