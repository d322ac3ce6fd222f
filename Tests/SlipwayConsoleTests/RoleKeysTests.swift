import SlipwayCore
import Testing
@testable import SlipwayConsole

/// `roles:` in the console: a changing key the actor may not use where it would act is left out
/// of the footer and help and refused in one line naming the role and the environment.
@Suite struct RoleKeysTests {
    /// ana deploys in development and staging and only views production.
    static let roles: [String: Role] = ["development": .deployer, "staging": .deployer, "production": .viewer]

    private func state(roles: [String: Role]? = Self.roles, on keys: [ConsoleKey]) -> ConsoleState {
        var header = Fixtures.header
        header.roles = roles
        let initial = ConsoleState(header: header, size: TerminalSize(rows: 40, columns: 200), now: Fixtures.now)
        let loaded = Console.update(initial, .loaded(RichFixtures.snapshot, header)).0
        return Fixtures.pressing(keys, in: loaded)
    }

    private func footer(_ state: ConsoleState) -> String { Console.render(state).lines.last ?? "" }

    @Test func aViewerInProductionIsRefusedEachChangingKeyThereInOneLine() {
        let production = state(on: [.enter, .character("j"), .character("j")])
        #expect(production.componentRows[production.selection].environment == "production")
        for key in ["d", "s", "b"] {
            let refused = Fixtures.pressing([.character(Character(key))], in: production)
            #expect(refused.pending == nil, "\(key)")
            let action = key == "d" ? "deploy" : key == "s" ? "switch" : "rollback"
            #expect(refused.statusMessage == "refused: \(action) in production needs the deployer role; ana is a viewer there", "\(key)")
        }
        let canary = Fixtures.pressing([.character("A")], in: production)
        #expect(canary.statusMessage == "refused: canary steering in production needs the deployer role; ana is a viewer there")
        let typed = state(on: [.character(":")] + Fixtures.typing("deploy accounts production") + [.enter])
        #expect(typed.pending == nil)
        #expect(typed.statusMessage == "refused: deploy in production needs the deployer role; ana is a viewer there")
    }

    @Test func theFooterAndHelpLeaveOutWhatTheRoleDoesNotAllowThere() {
        let production = state(on: [.enter, .character("j"), .character("j")])
        #expect(!footer(production).contains("deploy") && !footer(production).contains("switch"), "\(footer(production))")
        #expect(footer(production).contains("r releases"), "\(footer(production))")
        let help = Fixtures.pressing([.character("?")], in: state(roles: ["development": .viewer, "staging": .viewer, "production": .viewer], on: [.enter]))
        let text = Console.render(help).lines
        #expect(!text.contains { $0.hasPrefix("d ") && $0.contains("deploy") }, "\(text)")
        #expect(text.contains { $0.hasPrefix("r ") && $0.contains("releases") })
    }

    @Test func whereTheRoleAllowsItTheKeyAsksForConfirmationAsBefore() {
        let staging = state(on: [.enter, .character("j")])
        #expect(footer(staging).contains("d deploy") && footer(staging).contains("s switch"), "\(footer(staging))")
        let asked = Fixtures.pressing([.character("d")], in: staging)
        #expect(asked.pending?.environment == "staging")
        let typed = state(on: [.character(":")] + Fixtures.typing("deploy accounts staging") + [.enter])
        #expect(typed.pending?.environment == "staging")
    }

    @Test func withoutRolesEveryoneMayDoEverything() {
        let production = state(roles: nil, on: [.enter, .character("j"), .character("j")])
        #expect(footer(production).contains("d deploy"), "\(footer(production))")
        #expect(Fixtures.pressing([.character("d")], in: production).pending?.environment == "production")
    }
}
