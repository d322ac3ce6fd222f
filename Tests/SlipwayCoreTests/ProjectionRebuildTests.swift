import Foundation
@testable import SlipwayCore
import SlipwayTestSupport
import Testing

@Suite struct ProjectionRebuildTests {
    static let config = "databases:\n  main:\n    url_env: MAIN_DB_URL\nenvironments:\n  staging:\n    database: main\n  production:\n    database: main\n"
    static let declared = """
        database:
          migrations: migrations/
          projections:
            - name: orders_view
              rebuild: ./rebuild-orders.sh
            - name: totals
              table: customer_totals
              rebuild: {goal: rebuild-totals}
              compare: SELECT * FROM {live} EXCEPT SELECT * FROM {new}
              switch: {goal: switch-totals}

        """

    @Test func aComponentDeclaresItsProjections() throws {
        let workspace = try TemporaryWorkspace(files: ["slipway.yml": Self.config, "services/accounts/slipway.yml": Self.declared])
        let projections = try Workspace.load(at: workspace.root).component(named: "accounts").settings.database?.projections ?? []
        #expect(projections.map(\.name) == ["orders_view", "totals"])
        #expect(projections.map(\.table) == ["orders_view", "customer_totals"])
        #expect(projections[0].rebuild == .command("./rebuild-orders.sh"))
        #expect(projections[0].comparison == .tables)
        #expect(projections[0].switchStep == nil)
        #expect(projections[1].rebuild == .goal("rebuild-totals"))
        #expect(projections[1].comparison == .query("SELECT * FROM {live} EXCEPT SELECT * FROM {new}"))
        #expect(projections[1].switchStep == .goal("switch-totals"))
    }

    @Test(arguments: [
        ("  projections: {name: a}\n", "services/accounts/slipway.yml:3:16: database.projections must be a list"),
        ("  projections:\n    - rebuild: x\n", "services/accounts/slipway.yml:4:7: a projection needs name:"),
        ("  projections:\n    - {name: Orders, rebuild: x}\n", "services/accounts/slipway.yml:4:14: projection name must be a lower-case SQL name"),
        ("  projections:\n    - {name: orders}\n", "services/accounts/slipway.yml:4:14: projection 'orders' needs rebuild:"),
        ("  projections:\n    - {name: orders, table: \"a b\", rebuild: x}\n", "services/accounts/slipway.yml:4:29: table must be a lower-case SQL name"),
        ("  projections:\n    - {name: orders, rebuild: x, compare: drop table x}\n",
         "services/accounts/slipway.yml:4:43: compare must be an SQL query returning the differences"),
        ("  projections:\n    - {name: orders, rebuild: {target: x}}\n", "services/accounts/slipway.yml:4:32: unknown key 'target' in rebuild"),
        ("  projections:\n    - {name: orders, rebuild: x, swich: {goal: y}}\n", "services/accounts/slipway.yml:4:34: unknown key 'swich' in projection; did you mean 'switch'?"),
        ("  projections:\n    - {name: orders, rebuild: x}\n    - {name: orders, rebuild: y}\n",
         "services/accounts/slipway.yml:5:14: projection 'orders' is declared twice"),
        ("  projections:\n    - {name: orders, rebuild: ''}\n", "services/accounts/slipway.yml:4:31: rebuild must be a command or {goal: NAME}, found nothing"),
    ])
    func badProjectionsNameFileLineAndColumn(text: String, expected: String) throws {
        let workspace = try TemporaryWorkspace(files: ["services/accounts/slipway.yml": "database:\n  migrations: m/\n" + text])
        let error = try Workspace.load(at: workspace.root).problems.first { $0.name == "accounts" }?.error
        #expect(error?.message.hasPrefix(expected) == true, "\(error?.message ?? "no error")")
        #expect(error?.exitCode == 2)
    }

    @Test func checkpointLines() {
        #expect(CheckpointLine("slipway:checkpoint 300 1000") == CheckpointLine(position: 300, total: 1000))
        #expect(CheckpointLine("slipway:checkpoint 7") == CheckpointLine(position: 7, total: nil))
        #expect(CheckpointLine("slipway:checkpoint 7 10\r") == CheckpointLine(position: 7, total: 10))
        for line in ["slipway:checkpoint", "slipway:checkpoint x 10", "slipway:checkpoint -1 10", "wrote slipway:checkpoint 1 2",
                     "slipway:checkpoint 1 2 3", "slipway:checkpoints 1 2"] {
            #expect(CheckpointLine(line) == nil, "\(line)")
        }
    }

    static let orders = ProjectionSettings(name: "orders_view", rebuild: .command("true"))

    static func event(_ id: Int64, _ kind: EventKind, at seconds: Double, _ details: EventDetails) -> Event {
        var details = details
        details.stage = details.stage ?? "orders_view"
        let payload = String(decoding: try! JSONEncoder().encode(details), as: UTF8.self)
        return Event(
            id: id, time: Date(timeIntervalSince1970: 1_000_000 + seconds), actor: "tester", kind: kind.rawValue, schemaVersion: 1,
            component: "accounts", environment: "production", runID: nil, payload: payload)
    }

    @Test func theFoldMeasuresTheRateSinceTheRebuildLastStartedAndResumesFromTheLastCheckpoint() {
        var events = [
            Self.event(1, .projectionStarted, at: 0, EventDetails(version: "2", tag: "orders_view_v2")),
            Self.event(2, .projectionCheckpoint, at: 1, EventDetails(version: "2", position: 100, total: 1000)),
            Self.event(3, .projectionCheckpoint, at: 3, EventDetails(version: "2", position: 300, total: 1000)),
            // Another projection's events are not this one's.
            Self.event(4, .projectionCheckpoint, at: 3, EventDetails(version: "2", stage: "totals", position: 900, total: 1000)),
        ]
        var rebuild = ProjectionRebuild.fold(events, projection: Self.orders, component: "accounts", environment: "production")
        #expect(rebuild.liveVersion == 1)
        #expect(rebuild.attempt?.table == "orders_view_v2")
        #expect(rebuild.attempt?.rate == 100)
        #expect(rebuild.attempt?.secondsLeft == 7)
        #expect(rebuild.progressText == "300/1000 (30%), 100/s, 7s left")
        #expect(rebuild.nextStep == .rebuild(resumingFrom: 300))
        #expect(!rebuild.isSettled)

        events.append(Self.event(5, .projectionFailed, at: 4, EventDetails(version: "2", outcome: "rebuild", reason: "killed")))
        rebuild = ProjectionRebuild.fold(events, projection: Self.orders, component: "accounts", environment: "production")
        #expect(rebuild.nextStep == .rebuild(resumingFrom: 300))
        #expect(rebuild.summary == "v1 live, v2 rebuild failed: killed")

        // After the resume the rate is measured anew, not across the pause.
        events.append(Self.event(6, .projectionCheckpoint, at: 100, EventDetails(version: "2", position: 400, total: 1000)))
        events.append(Self.event(7, .projectionCheckpoint, at: 102, EventDetails(version: "2", position: 1000, total: 1000)))
        rebuild = ProjectionRebuild.fold(events, projection: Self.orders, component: "accounts", environment: "production")
        #expect(rebuild.attempt?.rate == 300)
        #expect(rebuild.attempt?.phase == .rebuilding && rebuild.attempt?.failedStep == nil)

        events.append(Self.event(8, .projectionBuilt, at: 103, EventDetails(version: "2")))
        events.append(Self.event(9, .projectionCompared, at: 104, EventDetails(version: "2", outcome: "differ", differences: ["rows: 1 in a, 2 in b"])))
        rebuild = ProjectionRebuild.fold(events, projection: Self.orders, component: "accounts", environment: "production")
        #expect(rebuild.nextStep == .compare)
        #expect(rebuild.attempt?.differences == ["rows: 1 in a, 2 in b"])
        #expect(rebuild.summary == "v1 live, v2 differs (1 differences), not switched")

        events.append(Self.event(10, .projectionSwitched, at: 105, EventDetails(version: "2", reason: "known bug in v1")))
        rebuild = ProjectionRebuild.fold(events, projection: Self.orders, component: "accounts", environment: "production")
        #expect(rebuild.liveVersion == 2)
        #expect(rebuild.isSettled)
        #expect(rebuild.nextStep == .start)
    }

    @Test func theChecklistItemReadsTheRebuildsOfProduction() async throws {
        let workspace = try TemporaryWorkspace(files: [
            "slipway.yml": Self.config, "services/accounts/slipway.yml": Self.declared,
            "services/web/slipway.yml": "database: {migrations: migrations/}\n",
        ])
        let engine = try await Engine.open(workspace: workspace.root, state: workspace.statePath, environment: [:], output: { _ in })
        let web = try engine.workspace.component(named: "web")
        let accounts = try engine.workspace.component(named: "accounts")
        let notApplicable = engine.projectionRebuildsCompleted(of: web)
        #expect(notApplicable.status == .notApplicable)
        #expect(notApplicable.detail == "no projections declared")

        var item = engine.projectionRebuildsCompleted(of: accounts)
        #expect(item.status == .passed)
        #expect(item.detail == "orders_view v1 live, never rebuilt; totals v1 live, never rebuilt")

        func append(_ kind: EventKind, environment: String = "production", _ details: EventDetails) throws {
            var details = details
            details.stage = "orders_view"
            try engine.store.append(NewEvent(kind, component: "accounts", environment: environment, details: details))
        }
        // Staging's rebuilds are not production's.
        try append(.projectionStarted, environment: "staging", EventDetails(version: "2", tag: "orders_view_v2"))
        #expect(engine.projectionRebuildsCompleted(of: accounts).status == .passed)

        try append(.projectionStarted, EventDetails(version: "2", tag: "orders_view_v2"))
        try append(.projectionCheckpoint, EventDetails(version: "2", position: 10, total: 40))
        item = engine.projectionRebuildsCompleted(of: accounts)
        #expect(item.status == .failed)
        #expect(item.detail == "orders_view: v1 live, v2 rebuilding in orders_view_v2: 10/40 (25%)")

        try append(.projectionBuilt, EventDetails(version: "2"))
        try append(.projectionCompared, EventDetails(version: "2", outcome: "differ", differences: ["rows: 40 in orders_view, 39 in orders_view_v2"]))
        #expect(engine.projectionRebuildsCompleted(of: accounts).detail == "orders_view: v1 live, v2 differs (1 differences), not switched")

        try append(.projectionSwitched, EventDetails(version: "2", reason: "v1 counted refunds twice"))
        item = engine.projectionRebuildsCompleted(of: accounts)
        #expect(item.status == .passed)
        #expect(item.detail.hasPrefix("orders_view v2 live, switched "))

        let checklist = DeploymentChecklist(
            component: "web", version: "1.0.0",
            facts: .init(gateChecks: [], gatePassed: true, staging: nil, projections: engine.projectionRebuildsCompleted(of: web)))
        #expect(checklist.lines.contains("  [-] projection rebuilds completed: not applicable (no projections declared)"))
    }
}
