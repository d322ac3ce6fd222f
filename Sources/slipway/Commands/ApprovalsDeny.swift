import ArgumentParser
import SlipwayCore

struct ApprovalsDeny: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "deny", abstract: "Deny a request awaiting approval, with a reason its requester reads; recorded in the audit.")

    @OptionGroup var global: GlobalOptions
    @Argument(help: "The request's id (see 'slipway approvals').") var id: String
    @Option(help: "Why: the requester's command ends with it.") var reason: String?

    func run() async throws {
        let engine = try await global.openEngine()
        let record = try engine.deny(requestID: id, reason: reason ?? "")
        print("denied request \(id) (\(record.request.title)): \(reason ?? "")")
    }
}
