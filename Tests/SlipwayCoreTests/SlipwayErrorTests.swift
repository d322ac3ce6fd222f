import Foundation
import SlipwayCore
import SlipwayTestSupport
import Testing

/// Errors as cases carrying their data: each renders to the one line the command line prints
/// and maps to its exit code; the engine throws the case, so callers and tests match on data.
@Suite struct SlipwayErrorTests {
    typealias Reason = SlipwayError.Reason

    static let since = Date(timeIntervalSince1970: 1_764_000_000)

    struct Rendering: Sendable, CustomTestStringConvertible {
        var reason: Reason
        var line: String
        var exitCode: Int32
        var testDescription: String { line }
    }

    static let renderings: [(Reason, String, Int32)] = [
        (.configuration(ConfigLocation(file: "slipway.yml", line: 2, column: 9), problem: "read_only must be true or false, found 'x\r'"),
         #"slipway.yml:2:9: read_only must be true or false, found 'x\r'"#, 2),
        (.unknownComponent("webb", kind: .app, hint: .didYouMean("web"), known: ["web"]),
         "unknown app 'webb'; did you mean 'web'? (known: web)", 2),
        (.unknownComponent("accounts", kind: .app, hint: .otherKind(name: "accounts", .service), known: []),
         "unknown app 'accounts'; accounts is a service: use deploy-service (known: none)", 2),
        (.unknownComponent("x\u{1B}", kind: nil, hint: nil, known: ["web", "accounts"]),
         #"unknown component 'x\u{1B}' (known: web, accounts)"#, 2),
        (.unknownEnvironment("prod", known: ["staging", "production"]), "unknown environment 'prod' (known: staging, production)", 2),
        (.unknownRun("r1"), "unknown run 'r1' (see 'slipway runs')", 2),
        (.unknownRequest("r2"), "unknown request 'r2'", 2),
        (.invalidValue(option: "--for", value: "soon", expected: "a duration (e.g. 30m, 2h)"), "--for: 'soon' is not a duration (e.g. 30m, 2h)", 2),
        (.reasonRequired(what: "alerts silence", why: "why these alerts may go unheard"),
         "alerts silence needs --reason TEXT: why these alerts may go unheard", 2),
        (.lockHeld(.init(component: "accounts", environment: "staging", runID: "r3", actor: "alice", pid: 42, host: "box", since: since)),
         "deploy lock for accounts in staging is held by run r3 of alice (pid 42 on box) since 2025-11-24T16:00:00Z; "
            + "wait for it or run 'slipway cancel r3'", 1),
        (.lockHeld(.init(component: "accounts", environment: "staging", runID: "r3", actor: "alice", pid: nil, host: nil, since: since)),
         "deploy lock for accounts in staging is held by run r3 of alice since 2025-11-24T16:00:00Z; wait for it or run 'slipway cancel r3'", 1),
        (.notHealthy(component: "web", color: .green, checks: 5, lastAnswer: "503 down"),
         "web never became healthy after 5 checks; last answer: 503 down", 1),
        (.gateRefused(route: "deploy", component: "accounts", version: "v1", environment: "production", missing: "no run"),
         "deploy of accounts v1 to production refused: no run (production_gates: required); run the pipeline for it, "
            + "or --override-gates --reason TEXT", 1),
        (.accessRefused(.deploy, component: "accounts", environment: "production", actor: "carol", osUser: "ci", role: .viewer,
                        roleEnvironment: "production"),
         "refused: deploy of accounts needs the deployer role in production; carol (SLIPWAY_ACTOR, os user ci) is a viewer "
            + "in production (roles: in slipway.yml)", 1),
        (.accessRefused(.restoreStore, component: nil, environment: nil, actor: "alice", osUser: nil, role: .approver,
                        roleEnvironment: "staging"),
         "refused: backup restore needs the admin role in every environment; alice is an approver in staging (roles: in slipway.yml)", 1),
        (.selfApproval(actor: "alice", requestID: "r4", title: "deploy accounts to production", environment: "production"),
         "refused: alice asked for request r4 (deploy accounts to production) and may not approve it: "
            + "the two-person rule in production needs an approver other than the requester", 1),
        (.approvalsBypassed(what: "deploy-all", environment: "production", approvals: 2, instead: "ask instead"),
         "refused: deploy-all bypasses the two-person rule in production (approvals: 2, roles: in slipway.yml); ask instead", 1),
        (.cancelled("during the health check"), "cancelled during the health check", 1),
        (.cannotRun(command: "git", problem: "not found"), "cannot run git: not found", 1),
        (.commandFailed(command: "git diff", status: 128, firstLine: "fatal: bad revision"), "git diff: fatal: bad revision", 1),
        (.commandFailed(command: "git log", status: 3, firstLine: nil), "git log: exit 3", 1),
        (.malformedReport(file: "lcov.info", .line(3), problem: "malformed DA record"), "lcov.info:3: malformed DA record", 1),
        (.malformedReport(file: "a.json", .path("data[0]"), problem: "missing 'files'"), "a.json: data[0]: missing 'files'", 1),
        (.malformedReport(file: "a.json", .path(""), problem: "expected an object"), "a.json: top level: expected an object", 1),
        (.store(path: "/s.db", .damaged("SQLite error 11: x"), doing: nil),
         "the store /s.db is damaged (SQLite error 11: x); run 'slipway store check', and restore a backup or move it aside", 1),
        (.store(path: "/s.db", .locked("SQLite error 5: busy"), doing: "opening"),
         "opening: the store /s.db stayed locked by another process (SQLite error 5: busy); try again, or see who holds it with 'fuser /s.db'", 1),
        (.store(path: "/s.db", .failed("SQLite error 1: no"), doing: nil), "store /s.db: SQLite error 1: no", 1),
        (.message(.usage, "give --env"), "give --env", 2),
        (.message(.failure, "it broke"), "it broke", 1),
    ]

    @Test(arguments: renderings.map { Rendering(reason: $0.0, line: $0.1, exitCode: $0.2) })
    func eachReasonRendersItsOneLineAndExitCode(_ rendering: Rendering) {
        let (error, line, exitCode) = (SlipwayError(rendering.reason), rendering.line, rendering.exitCode)
        #expect(error.message == line)
        #expect(error.description == line)
        #expect(error.exitCode == exitCode)
        #expect(error.category == (exitCode == 2 ? .usage : .failure))
        #expect(!error.message.unicodeScalars.contains { $0.properties.generalCategory == .control })
    }

    @Test func theTextFactoriesStayOneOffMessages() {
        #expect(SlipwayError.usage("x") == SlipwayError(.message(.usage, "x")))
        #expect(SlipwayError.failure("y").reason == .message(.failure, "y"))
        #expect(SlipwayError.usage("x") != SlipwayError.failure("x"))
    }

    @Test func anUnknownEnvironmentCarriesTheKnownOnes() throws {
        let config = try WorkspaceConfig.parse("read_only: false\n", file: "slipway.yml")
        #expect(throws: SlipwayError(.unknownEnvironment("prod", known: ["development", "staging", "production"]))) {
            try config.environment(named: "prod")
        }
    }

    @Test func unknownRunsAndRequestsAndAHeldLockAreCasesOfTheStore() throws {
        let workspace = try TemporaryWorkspace()
        let store = try SQLiteStore(path: workspace.statePath, actor: "alice")
        #expect(throws: SlipwayError(.unknownRun("nope"))) { try store.run(id: "nope") }
        #expect(throws: SlipwayError(.unknownRun("nope"))) { try store.requestCancel(runID: "nope") }
        #expect(throws: SlipwayError(.unknownRequest("nope"))) { try store.request(id: "nope") }

        let me = ProcessIdentity.current
        func run(_ id: String, at time: Date) -> RunRecord {
            RunRecord(
                id: id, kind: .deploy, component: "accounts", environment: "staging", version: "v1", state: .running,
                actor: "alice", origin: "test", host: me.host, pid: me.pid, pidStartTime: me.startTime, startedAt: time, heartbeatAt: time)
        }
        // Whole seconds: the lock's time is stored and rendered to the second.
        let first = Date(timeIntervalSince1970: Date().timeIntervalSince1970.rounded(.down))
        try store.begin(run("r1", at: first), lock: true, details: EventDetails(runKind: .deploy, version: "v1"))
        let refused = #expect(throws: SlipwayError.self) {
            try store.begin(run("r2", at: Date()), lock: true, details: EventDetails(runKind: .deploy, version: "v1"))
        }
        guard case .lockHeld(let holder)? = refused?.reason else {
            Issue.record("expected a held lock, got \(String(describing: refused))")
            return
        }
        #expect(holder.component == "accounts" && holder.environment == "staging" && holder.runID == "r1" && holder.actor == "alice")
        #expect(holder.pid == me.pid && holder.host == me.host)
        #expect(abs(holder.since.timeIntervalSince(first)) < 1)
        #expect(refused?.exitCode == 1)
    }

    @Test func refusalsOfRolesGatesAndTheTwoPersonRuleCarryWhoWhatAndWhere() async throws {
        let workspace = try TemporaryWorkspace(files: [
            "slipway.yml": "production_gates: required\nroles:\n  all:\n    everyone: deployer\n  production:\n    everyone: viewer\n    approvals: 1\n",
        ])
        try workspace.makeFolder("services/accounts")
        let engine = try await Engine.open(
            workspace: workspace.root, state: workspace.statePath, environment: ["SLIPWAY_ACTOR": "carol"], output: { _ in })

        #expect(throws: SlipwayError(.accessRefused(
            .deploy, component: "accounts", environment: "production", actor: "carol", osUser: engine.identity.osUser,
            role: .viewer, roleEnvironment: "production"))) {
            try engine.authorize(.deploy, environment: "production", component: "accounts")
        }
        try engine.authorize(.deploy, environment: "staging", component: "accounts")

        #expect(throws: SlipwayError(.approvalsBypassed(what: "deploy-all", environment: "production", approvals: 1, instead: "ask"))) {
            try engine.refuseBypassingApprovals("deploy-all", environment: "production", instead: "ask")
        }

        let accounts = try engine.workspace.component(named: "accounts")
        #expect(throws: SlipwayError(.gateRefused(
            route: "deploy", component: "accounts", version: "v1", environment: "production",
            missing: "no recorded pipeline run tested and gated accounts v1"))) {
            try ProductionGate(engine: engine).check(accounts, environment: "production", version: "v1", override: nil, route: "deploy")
        }
        #expect(throws: SlipwayError(.reasonRequired(what: "--override-gates", why: "why this version skips its gates"))) {
            try ProductionGate(engine: engine).check(
                accounts, environment: "production", version: "v1", override: .init(reason: " "), route: "deploy")
        }
    }
}
