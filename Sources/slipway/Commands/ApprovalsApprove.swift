import ArgumentParser
import SlipwayCore

struct ApprovalsApprove: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "approve", abstract: "Approve a request awaiting approval (an approver other than its requester); recorded in the audit.")

    @OptionGroup var global: GlobalOptions
    @Argument(help: "The request's id (see 'slipway approvals').") var id: String

    func run() async throws {
        let engine = try await global.openEngine()
        let record = try engine.approve(requestID: id)
        let count = "\(record.approvedBy.count) of \(record.approvalsNeeded) approvals"
        guard record.state == .pending else {
            return print("approved request \(id) (\(record.request.title)): \(count); it awaits another approver")
        }
        // The requester's command hands it to the agent; one must run for when that command is gone.
        try await AgentClient(workspace: engine.workspace.root, statePath: engine.statePath).start()
        print("approved request \(id) (\(record.request.title)): \(count); it runs now")
    }
}
