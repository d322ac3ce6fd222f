import Foundation
import Testing
@testable import SlipwayConsole
@testable import SlipwayCore

/// The two-person rule in the console: the header counts requests awaiting approval, `7` lists
/// them, and `a` / `D` approve or deny (with a typed reason) only where the actor may.
@Suite struct ApprovalKeysTests {
    static let approvals = [
        RequestRecord(
            id: "r20261129092000-0001", request: .deploy(.init(component: "accounts", kind: .service, environment: "production",
                                                              version: nil, force: false)),
            actor: "bob", origin: "cli", requestedAt: Fixtures.now - 300, state: .awaitingApproval, noWait: false,
            errorIsUsage: false, approvalsNeeded: 1, expiresAt: Fixtures.now + 1800),
        RequestRecord(
            id: "r20261129092500-0002", request: .switchTraffic(.init(component: "billing", environment: "production", color: nil)),
            actor: "ana", origin: "cli", requestedAt: Fixtures.now - 60, state: .awaitingApproval, noWait: false,
            errorIsUsage: false, approvalsNeeded: 1, expiresAt: Fixtures.now + 3540),
    ]

    private func state(role: Role = .approver, on keys: [ConsoleKey] = []) -> ConsoleState {
        var header = Fixtures.header
        header.roles = ["development": .deployer, "staging": .deployer, "production": role]
        let initial = ConsoleState(header: header, size: TerminalSize(rows: 30, columns: 120), now: Fixtures.now)
        let loaded = Console.update(initial, .loaded(ConsoleSnapshot(rows: Fixtures.fleet, approvals: Self.approvals), header)).0
        return Fixtures.pressing(keys, in: loaded)
    }

    private func footer(_ state: ConsoleState) -> String { Console.render(state).lines.last ?? "" }

    @Test func theHeaderCountsThemAndSevenListsThemOldestFirst() {
        let fleet = Console.render(state()).lines
        #expect(fleet[1].contains("2 awaiting approval"), "\(fleet[1])")
        let screen = Console.render(state(on: [.character("7")])).lines
        #expect(screen[1].contains("2 requests awaiting approval"), "\(screen[1])")
        let heading = screen[2]
        #expect(["ID", "WHAT", "REQUESTER", "AGE", "EXPIRES IN", "APPROVALS"].allSatisfy(heading.contains), "\(heading)")
        let first = screen[3]
        #expect(first.contains("r20261129092000-0001") && first.contains("deploy accounts to production") && first.contains("bob"), "\(first)")
        #expect(first.contains(" 5m ") && first.contains(" 30m ") && first.contains("0/1"), "\(first)")
        #expect(screen[4].contains("switch billing in production") && screen[4].contains("ana"), "\(screen[4])")
    }

    @Test func anApproverApprovesAnothersRequestAfterTypingTheEnvironment() {
        let asked = state(on: [.character("7")])
        #expect(footer(asked).contains("a approve") && footer(asked).contains("D deny"), "\(footer(asked))")
        let pending = Fixtures.pressing([.character("a")] + Fixtures.typing("production"), in: asked)
        #expect(pending.pending?.summary == "approve request r20261129092000-0001 of bob: deploy accounts to production")
        let (done, effects) = Console.update(pending, .key(.enter))
        #expect(done.pending == nil)
        #expect(effects == [.request(.approve(requestID: "r20261129092000-0001", what: "deploy accounts to production"))])
    }

    @Test func aDenialTakesATypedReasonAndNeedsOne() {
        let denying = state(on: [.character("7"), .character("D")] + Fixtures.typing("change freeze"))
        #expect(Console.render(denying).lines.contains { $0.contains("type the reason and enter to deny") })
        let (_, effects) = Console.update(denying, .key(.enter))
        #expect(effects == [.request(.deny(
            requestID: "r20261129092000-0001", what: "deploy accounts to production", reason: "change freeze"))])
        let (empty, none) = Console.update(state(on: [.character("7"), .character("D")]), .key(.enter))
        #expect(none.isEmpty && empty.statusMessage == "a denial needs a reason: nothing changed")
    }

    @Test func theRequesterAndADeployerSeeNoApproveKeyAndAreRefusedIt() {
        let own = state(on: [.character("7"), .character("j")])
        #expect(own.selectedApproval?.actor == "ana")
        #expect(!footer(own).contains("a approve"), "\(footer(own))")
        let refused = Fixtures.pressing([.character("a")], in: own)
        #expect(refused.pending == nil)
        #expect(refused.statusMessage?.hasPrefix("refused: ana asked for request r20261129092500-0002 and may not approve it") == true)

        let deployer = state(role: .deployer, on: [.character("7")])
        #expect(!footer(deployer).contains("approve") && !footer(deployer).contains("deny"), "\(footer(deployer))")
        let refusedDeployer = Fixtures.pressing([.character("a")], in: deployer)
        #expect(refusedDeployer.statusMessage == "refused: approve in production needs the approver role; ana is a deployer there")
    }
}
