import ArgumentParser
import Foundation
import SlipwayCore

struct ApprovalsList: AsyncParsableCommand {
    static let configuration = CommandConfiguration(commandName: "list", abstract: "The requests awaiting approval, oldest first.")

    @OptionGroup var global: GlobalOptions
    @Flag(help: "Print JSON.") var json = false

    struct Line: Encodable {
        var id: String
        var what: String
        var component: String
        var environment: String
        var requester: String
        var requestedAt: Date
        var ageSeconds: Int
        var expiresAt: Date?
        var expiresInSeconds: Int?
        var approvals: Int
        var approvalsNeeded: Int
        var approvedBy: [String]
        /// Whether the one asking may approve or deny it.
        var mayDecide: Bool

        enum CodingKeys: String, CodingKey {
            case id, what, component, environment, requester, requestedAt = "requested_at", ageSeconds = "age_seconds"
            case expiresAt = "expires_at", expiresInSeconds = "expires_in_seconds", approvals, approvalsNeeded = "approvals_needed"
            case approvedBy = "approved_by", mayDecide = "may_decide"
        }
    }

    func run() async throws {
        let engine = try await global.openEngine(json: json)
        let now = engine.clock.now()
        let lines = try engine.requestsAwaitingApproval().map { record in
            Line(
                id: record.id, what: record.request.title, component: record.request.component,
                environment: record.request.environment, requester: record.actor, requestedAt: record.requestedAt,
                ageSeconds: max(0, Int(now.timeIntervalSince(record.requestedAt))), expiresAt: record.expiresAt,
                expiresInSeconds: record.expiresAt.map { max(0, Int($0.timeIntervalSince(now))) },
                approvals: record.approvedBy.count, approvalsNeeded: record.approvalsNeeded, approvedBy: record.approvedBy,
                mayDecide: engine.mayDecide(record))
        }
        if json { return try JSONOutput.print(lines) }
        guard !lines.isEmpty else { return print("no request awaits approval") }
        Table(
            headers: ["ID", "WHAT", "COMPONENT", "ENV", "REQUESTER", "AGE", "EXPIRES IN", "APPROVALS"],
            rows: lines.map { line in
                [line.id, line.what, line.component, line.environment, line.requester, TimeText.span(Double(line.ageSeconds)),
                 line.expiresInSeconds.map { TimeText.span(Double($0)) } ?? "-", "\(line.approvals)/\(line.approvalsNeeded)"]
            }
        ).print()
    }
}
