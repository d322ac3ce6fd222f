import Foundation
@testable import SlipwayConsole
import SlipwayCore

/// A small fleet and the helpers the frame tests share.
enum Fixtures {
    /// 2026-11-29 09:30:12 UTC.
    static let now = Date(timeIntervalSince1970: 1_795_944_612)
    static let header = ConsoleHeader(
        workspace: "/srv/monorepo", branch: "main", commit: "1a2b3c4d5e6f7a8b9c0d", actor: "ana")

    static func row(
        _ component: String, _ environment: String, version: String? = nil, color: String? = nil,
        health: String = "unknown", running: String? = nil, technology: String = "node", target: String = "local"
    ) -> FleetRow {
        FleetRow(
            component: component, kind: .app, environment: environment, technology: technology, target: target,
            liveVersion: version, liveColor: color, health: health, url: nil, runningRun: running, lastOutcome: nil)
    }

    /// accounts is live and healthy everywhere, billing is being deployed to staging,
    /// landing-page is unhealthy in production and absent elsewhere.
    static let fleet: [FleetRow] = [
        row("accounts", "development", version: "3f9a2c1b7d4e", color: "blue", health: "healthy", technology: "swift"),
        row("accounts", "staging", version: "3f9a2c1b7d4e", color: "green", health: "healthy", technology: "swift"),
        row("accounts", "production", version: "0c1d2e3f4a5b", color: "blue", health: "healthy", technology: "swift"),
        row("billing", "development", version: "77aa88bb99cc", color: "green", health: "healthy", target: "aws-ecs"),
        row("billing", "staging", version: "66aa88bb99cc", color: "blue", health: "unknown", running: "r1", target: "aws-ecs"),
        row("billing", "production", target: "aws-ecs"),
        row("landing-page", "development", target: "cloudflare-pages"),
        row("landing-page", "staging", target: "cloudflare-pages"),
        row("landing-page", "production", version: "5e5e5e5e5e5e", color: "green", health: "unhealthy",
            target: "cloudflare-pages"),
    ]

    static func run(
        _ id: String, kind: RunKind = .deploy, component: String = "accounts", environment: String = "staging",
        version: String = "3f9a2c1b7d4e", state: RunRecord.State = .succeeded, actor: String = "ana",
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
