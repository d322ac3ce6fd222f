import SlipwayCore
import Testing

/// `roles:` in slipway.yml: who has which role in each environment, and where a mistake is.
@Suite struct RoleSettingsTests {
    static let config = """
        roles:
          groups:
            release: [carol, dave]
          all:
            everyone: deployer
            admin: [root]
          production:
            everyone: viewer
            deployer: [alice, group:release]
            approver: [unix:approvers]

        """

    func roles(_ text: String = Self.config) throws -> RoleSettings {
        try #require(try WorkspaceConfig.parse(text, file: "slipway.yml").roles)
    }

    @Test func rolesAddUpAcrossAllAndTheEnvironmentWhoseEveryoneReplacesAlls() throws {
        let roles = try roles()
        #expect(roles.role(of: ActorIdentity(name: "bob"), in: "staging") == .deployer)
        #expect(roles.role(of: ActorIdentity(name: "bob"), in: "production") == .viewer)
        #expect(roles.role(of: ActorIdentity(name: "alice"), in: "production") == .deployer)
        #expect(roles.role(of: ActorIdentity(name: "dave"), in: "production") == .deployer, "through group:release")
        #expect(roles.role(of: ActorIdentity(name: "erin", unixGroups: ["staff", "approvers"]), in: "production") == .approver)
        #expect(roles.role(of: ActorIdentity(name: "root"), in: "production") == .admin)
        #expect(roles.role(of: ActorIdentity(name: "root"), in: "development") == .admin)
    }

    @Test func withoutEveryoneAnyoneNotNamedIsAViewer() throws {
        let roles = try roles("roles:\n  staging:\n    deployer: [alice]\n")
        #expect(roles.role(of: ActorIdentity(name: "bob"), in: "staging") == .viewer)
        #expect(roles.role(of: ActorIdentity(name: "alice"), in: "staging") == .deployer)
        #expect(try WorkspaceConfig.parse("parallelism: 2\n", file: "slipway.yml").roles == nil)
    }

    @Test(arguments: [
        ("roles:\n  production:\n    deployr: [alice]\n", "slipway.yml:3:5: unknown role 'deployr' in roles.production; did you mean 'deployer'?"),
        ("roles:\n  prodution:\n    deployer: [alice]\n", "slipway.yml:2:3: unknown environment 'prodution' in roles; did you mean 'production'?"),
        ("roles:\n  all:\n    everyone: god\n", "slipway.yml:3:15: unknown role 'god' (known: viewer, deployer, approver, admin)"),
        ("roles:\n  staging:\n    deployer: [alice, group:ops]\n", "slipway.yml:3:23: unknown group 'ops' in roles.staging.deployer"),
    ])
    func mistakesAreNamedAtTheirPlace(text: String, message: String) {
        let error = #expect(throws: SlipwayError.self) { try WorkspaceConfig.parse(text, file: "slipway.yml") }
        #expect(error?.message.hasPrefix(message) == true, "\(error?.message ?? "")")
        #expect(error?.exitCode == 2)
    }
}
