import Foundation
@testable import SlipwayConsole
@testable import SlipwayCore

/// A small fleet and the helpers the frame tests share.
enum Fixtures {
    /// 2026-11-29 09:30:12 UTC.
    static let now = Date(timeIntervalSince1970: 1_795_944_612)
    static let header = ConsoleHeader(
        workspace: "/srv/monorepo", branch: "main", commit: "1a2b3c4d5e6f7a8b9c0d", actor: "ana")

    static func row(
        _ component: String, _ environment: String, version: String? = nil, color: String? = nil,
        health: HealthState = .unknown, running: String? = nil, technology: String = "node", target: String = "local"
    ) -> FleetRow {
        FleetRow(
            component: component, kind: .app, environment: environment, technology: technology, target: target,
            liveVersion: version, liveColor: color, health: health, healthCheckedAt: health == .unknown ? nil : now - 60,
            url: nil, runningRun: running, lastOutcome: nil)
    }

    /// accounts is live and healthy everywhere, billing is being deployed to staging,
    /// landing-page is unhealthy in production and absent elsewhere.
    static let fleet: [FleetRow] = [
        row("accounts", "development", version: "3f9a2c1b7d4e", color: "blue", health: .healthy, technology: "swift"),
        row("accounts", "staging", version: "3f9a2c1b7d4e", color: "green", health: .healthy, technology: "swift"),
        row("accounts", "production", version: "0c1d2e3f4a5b", color: "blue", health: .healthy, technology: "swift"),
        row("billing", "development", version: "77aa88bb99cc", color: "green", health: .healthy, target: "aws-ecs"),
        row("billing", "staging", version: "66aa88bb99cc", color: "blue", health: .unknown, running: "r1", target: "aws-ecs"),
        row("billing", "production", target: "aws-ecs"),
        row("landing-page", "development", target: "cloudflare-pages"),
        row("landing-page", "staging", target: "cloudflare-pages"),
        row("landing-page", "production", version: "5e5e5e5e5e5e", color: "green", health: .unhealthy,
            target: "cloudflare-pages"),
    ]

    static func run(
        _ id: String, kind: RunKind = .deploy, component: String = "accounts", environment: String = "staging",
        version: String = "3f9a2c1b7d4e", state: RunState = .succeeded, actor: String = "ana",
        startedAt: Date = now
    ) -> RunRecord {
        RunRecord(
            id: id, kind: kind, component: component, environment: environment, version: version, state: state,
            actor: actor, origin: "cli", host: "build-1", pid: 42, pidStartTime: "1", startedAt: startedAt,
            heartbeatAt: startedAt, finishedAt: nil, cancelRequested: false, reason: nil)
    }

    static let runs: [RunRecord] = [
        run("r20261129093000-0003", component: "billing", state: .running, startedAt: now - 12),
        run("r20261129092000-0002", component: "landing-page", environment: "production", state: .failed,
            startedAt: now - 600),
        run("r20261129091000-0001", kind: .test, startedAt: now - 1200),
    ]

    /// The console after its first load.
    static func state(
        rows: [FleetRow] = fleet, runs: [RunRecord] = runs, size: TerminalSize = TerminalSize(rows: 24, columns: 120),
        symbols: SymbolSet = .unicode, readOnly: Bool = false
    ) -> ConsoleState {
        let initial = ConsoleState(header: header, readOnly: readOnly, size: size, now: now, symbols: symbols)
        return Console.update(initial, .loaded(ConsoleSnapshot(rows: rows, runs: runs), header)).0
    }

    /// The state after pressing `keys` in order.
    static func pressing(_ keys: [ConsoleKey], in state: ConsoleState) -> ConsoleState {
        keys.reduce(state) { Console.update($0, .key($1)).0 }
    }

    static func typing(_ text: String) -> [ConsoleKey] {
        text.map(ConsoleKey.character)
    }
}

extension Frame {
    /// The first line containing `text`, with its row.
    func line(containing text: String) -> (row: Int, text: String)? {
        lines.enumerated().first { $0.element.contains(text) }.map { ($0.offset, $0.element) }
    }

    func isReverse(row: Int) -> Bool {
        (0..<columns).allSatisfy { self[row, $0].style.emphasis == .reverse }
    }

    /// The rows drawn in reverse video.
    var reverseRows: [Int] { (0..<rows).filter(isReverse(row:)) }
}

/// A fleet with everything the deeper screens show: slots, routes, router counts, events,
/// releases and a run's output.
enum RichFixtures {
    static let now = Fixtures.now

    static func slot(_ environment: String, _ color: String, _ version: String) -> SlotRecord {
        SlotRecord(
            component: "accounts", environment: environment, color: color, version: version, port: 40000,
            pid: 7, pidStartTime: "1", host: "build-1", directory: "/srv", command: "[]", variables: "{}",
            logPath: "/srv/logs/accounts/\(environment)/\(color).log", state: .running, restarts: 0,
            startedAt: now - 300)
    }

    static func event(
        _ id: Int64, _ kind: EventKind, environment: String = "staging", details: EventDetails, actor: String = "ana"
    ) -> Event {
        let payload = String(decoding: try! JSONEncoder().encode(details), as: UTF8.self)
        return Event(
            id: id, time: now - Double(100 - id), actor: actor, kind: kind.rawValue, schemaVersion: 1,
            component: "accounts", environment: environment, runID: "r1", payload: payload)
    }

    static var snapshot: ConsoleSnapshot {
        var states: [Projection.Key: DeploymentState] = [:]
        for row in Fixtures.fleet where row.liveVersion != nil {
            var state = DeploymentState(component: row.component, environment: row.environment)
            state.liveVersion = row.liveVersion
            state.liveColor = row.liveColor
            state.previousVersions = ["0c1d2e3f4a5b"]
            state.lastHealth = .init(healthy: row.health == .healthy, time: now - 60, detail: nil)
            states[.init(component: row.component, environment: row.environment)] = state
        }
        return ConsoleSnapshot(
            rows: Fixtures.fleet, runs: Fixtures.runs, states: states,
            slots: [
                slot("staging", "blue", "0c1d2e3f4a5b"), slot("staging", "green", "3f9a2c1b7d4e"),
                slot("production", "blue", "0c1d2e3f4a5b"),
            ],
            routes: [
                RouteRecord(component: "accounts", environment: "staging", host: "127.0.0.1", port: 8080, liveColor: "green", greenWeight: 100),
                RouteRecord(component: "accounts", environment: "production", host: "127.0.0.1", port: 8081, liveColor: "blue", greenWeight: 0),
            ],
            metrics: [
                AgentResponse.Route(
                    component: "accounts", environment: "staging", url: "http://127.0.0.1:8080", liveColor: "green",
                    weights: ["blue": 0, "green": 100],
                    counts: [
                        "blue": .init(requests: 120, errors5xx: 0, connectionErrors: 0, p95Milliseconds: 4.2),
                        "green": .init(requests: 80, errors5xx: 2, connectionErrors: 0, p95Milliseconds: 3.5),
                    ]),
            ],
            events: [
                event(3, .runFinished, details: EventDetails(runKind: .deploy, version: "3f9a2c1b7d4e", outcome: "succeeded")),
                event(2, .trafficSwitched, details: EventDetails(version: "3f9a2c1b7d4e", color: "green"), actor: "agent"),
                event(1, .runStarted, details: EventDetails(runKind: .deploy, version: "3f9a2c1b7d4e")),
            ])
    }

    /// accounts: staging three commits behind development, production not in git; one commit on main live nowhere.
    static var drift: DriftReport {
        var facts = DriftFacts(branch: "main")
        facts.commits[.init(component: "accounts", version: "3f9a2c1b7d4e")] = .init(hash: "3f9a2c1b7d4e9", date: now - 2 * 86_400)
        facts.commits[.init(component: "accounts", version: "0c1d2e3f4a5b")] = .init(hash: "0c1d2e3f4a5b6", date: now - 9 * 86_400)
        facts.spans[.init(component: "accounts", behind: "0c1d2e3f4a5b6", ahead: "3f9a2c1b7d4e9")] = (missing: 3, extra: 0)
        facts.unreleased["accounts"] = [.init(hash: "9a9a9a9", subject: "accounts: faster login", author: "Ana")]
        var states: [Projection.Key: DeploymentState] = [:]
        for (environment, version) in [("development", "3f9a2c1b7d4e"), ("staging", "0c1d2e3f4a5b"), ("production", "5e5e5e5e5e5e")] {
            var state = DeploymentState(component: "accounts", environment: environment)
            state.liveVersion = version
            states[.init(component: "accounts", environment: environment)] = state
        }
        return DriftReport(
            components: ["accounts", "billing"], environments: ["development", "staging", "production"], states: states,
            facts: facts, now: now)
    }

    static let releases = [
        ReleaseTag(component: "accounts", environment: "staging", version: "3f9a2c1b7d4e", commit: "3f9a2c1b7d4e9", actor: "ana", time: now - 100, runID: nil),
        ReleaseTag(component: "accounts", environment: "staging", version: "0c1d2e3f4a5b", commit: "0c1d2e3f4a5b6", actor: "bo", time: now - 5000, runID: nil),
    ]

    static func state(size: TerminalSize = TerminalSize(rows: 24, columns: 80), symbols: SymbolSet = .unicode, readOnly: Bool = false) -> ConsoleState {
        let initial = ConsoleState(header: Fixtures.header, readOnly: readOnly, size: size, now: now, symbols: symbols)
        return Console.update(initial, .loaded(snapshot, Fixtures.header)).0
    }

    /// `state` on `screen`, reached by keys, with the releases and log lines the watcher would send.
    static func on(_ screen: ConsoleScreen, _ state: ConsoleState) -> ConsoleState {
        let keys: [ConsoleKey] = switch screen {
        case .fleet: []
        case .runs: [.character("2")]
        case .health: [.character("3")]
        case .audit: [.character("4")]
        case .alerts: [.character("5")]
        case .detail: [.character("4"), .enter]
        case .drift: [.character("6")]
        case .approvals: [.character("7")]
        case .help: [.character("?")]
        case .component: [.enter]
        case .releases: [.enter, .character("j"), .character("r")]
        case .log: [.character("2"), .enter]
        }
        var state = Fixtures.pressing(keys, in: state)
        if screen == .releases {
            state = Console.update(state, .releasesLoaded(component: "accounts", environment: "staging", releases)).0
        }
        if screen == .drift {
            state = Console.update(state, .driftLoaded(drift)).0
        }
        if screen == .log, let source = state.log?.source {
            let lines = ["==> build: release 3f9a2c1b7d4e", "==> deploy: start in the green slot", "healthy: GET /health answered 200"]
                .enumerated().map { LogLine(time: now + Double($0.offset), text: $0.element) }
            state = Console.update(state, .logLoaded(source, lines, replacing: true)).0
        }
        return state
    }
}
