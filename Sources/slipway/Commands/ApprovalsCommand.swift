import ArgumentParser

struct ApprovalsCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "approvals",
        abstract: "Requests awaiting approval under the two-person rule; approve or deny them.",
        discussion: """
            An environment with `approvals: N` in its `roles:` block (slipway.yml) runs a deploy, switch, \
            rollback or promote only once N approvers other than the requester approve its request; \
            unapproved after `approval_timeout` (default 1h) it expires. The requester's command waits meanwhile.
            """,
        subcommands: [ApprovalsList.self, ApprovalsApprove.self, ApprovalsDeny.self],
        defaultSubcommand: ApprovalsList.self)
}
