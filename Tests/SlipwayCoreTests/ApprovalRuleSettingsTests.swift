import SlipwayCore
import Testing

/// `approvals:` and `approval_timeout:` in a `roles:` environment block: the two-person rule.
@Suite struct ApprovalRuleSettingsTests {
    @Test func anEnvironmentsRuleHasItsCountAndTimeoutDefaultingToAnHour() throws {
        let text = "roles:\n  production:\n    approvals: 2\n    approval_timeout: 30m\n  staging:\n    approvals: 1\n"
        let roles = try #require(try WorkspaceConfig.parse(text, file: "slipway.yml").roles)
        #expect(roles.approvalRule(in: "production") == ApprovalRule(approvals: 2, timeout: 1800))
        #expect(roles.approvalRule(in: "staging") == ApprovalRule(approvals: 1, timeout: 3600))
        #expect(roles.approvalRule(in: "development") == nil)
    }

    @Test func allsRuleAppliesEverywhereUnlessAnEnvironmentTurnsItOff() throws {
        let text = "roles:\n  all:\n    approvals: 1\n  development:\n    approvals: 0\n"
        let roles = try #require(try WorkspaceConfig.parse(text, file: "slipway.yml").roles)
        #expect(roles.approvalRule(in: "production")?.approvals == 1)
        #expect(roles.approvalRule(in: "development") == nil)
    }

    @Test(arguments: [
        ("roles:\n  production:\n    approvals: -1\n", "slipway.yml:3:16: roles.production.approvals must be between 0 and 9, found -1"),
        ("roles:\n  production:\n    approvals: many\n", "slipway.yml:3:16: roles.production.approvals must be a whole number"),
        ("roles:\n  production:\n    approvals: 1\n    approval_timeout: soon\n",
         "slipway.yml:4:23: roles.production.approval_timeout must be a duration such as 90s, 5m or 1h"),
        ("roles:\n  production:\n    approvals: 1\n    approval_timeout: 0s\n",
         "slipway.yml:4:23: roles.production.approval_timeout must be at least 1s"),
        ("roles:\n  production:\n    approval_timeout: 30m\n",
         "slipway.yml:3:5: roles.production.approval_timeout needs approvals: N beside it"),
        ("roles:\n  production:\n    aprovals: 1\n", "slipway.yml:3:5: unknown role 'aprovals' in roles.production; did you mean 'approvals'?"),
    ])
    func mistakesAreNamedAtTheirPlace(text: String, message: String) {
        let error = #expect(throws: SlipwayError.self) { try WorkspaceConfig.parse(text, file: "slipway.yml") }
        #expect(error?.message.hasPrefix(message) == true, "\(error?.message ?? "")")
        #expect(error?.exitCode == 2)
    }
}
