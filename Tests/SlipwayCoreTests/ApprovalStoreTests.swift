import Foundation
import SlipwayCore
import SlipwayTestSupport
import Testing

/// The two-person rule in the store: a request awaiting approval is invisible to agents until
/// enough distinct approvers approve it, and ends expired at its time, with each step in the audit.
@Suite struct ApprovalStoreTests {
    static let deploy = RunRequest.deploy(.init(component: "accounts", kind: .service, environment: "production", version: nil, force: false))
    static let start = Date(timeIntervalSince1970: 1_795_944_600)

    func stores() throws -> (requester: EventStore, alice: EventStore, bob: EventStore) {
        let path = try TemporaryWorkspace().statePath
        return (try SQLiteStore(path: path, actor: "tester"), try SQLiteStore(path: path, actor: "alice"), try SQLiteStore(path: path, actor: "bob"))
    }

    @Test func noAgentMayTakeItUntilTheLastApprovalItNeeds() throws {
        let (requester, alice, bob) = try stores()
        let record = try requester.record(
            Self.deploy, origin: "cli", approvalRule: ApprovalRule(approvals: 2, timeout: 600), now: Self.start)
        #expect(record.state == .awaitingApproval && record.expiresAt == Self.start.addingTimeInterval(600))
        #expect(try requester.orphanedRequests().isEmpty, "an agent's scan does not see it")
        #expect(try requester.claim(requestID: record.id, by: .current) == nil)

        let first = try alice.approve(requestID: record.id, now: Self.start + 60)
        #expect(first.state == .awaitingApproval && first.approvedBy == ["alice"])
        let twice = #expect(throws: SlipwayError.self) { try alice.approve(requestID: record.id, now: Self.start + 61) }
        #expect(twice?.message == "alice has already approved request \(record.id); it needs another approver")
        #expect(try requester.claim(requestID: record.id, by: .current) == nil)

        let second = try bob.approve(requestID: record.id, now: Self.start + 120)
        #expect(second.state == .pending && second.approvedBy == ["alice", "bob"] && second.approvedAt == Self.start + 120)
        #expect(try requester.claim(requestID: record.id, by: .current)?.state == .claimed)
        let approvals = try requester.latestEvents(kind: .requestApproved, limit: 10)
        #expect(approvals.map(\.actor).sorted() == ["alice", "bob"])
        #expect(approvals.compactMap(\.details?.outcome).sorted() == ["1/2", "2/2"])
    }

    @Test func itExpiresAtItsTimeAndIsThenNoLongerApprovable() throws {
        let (requester, alice, _) = try stores()
        let record = try requester.record(
            Self.deploy, origin: "cli", approvalRule: ApprovalRule(approvals: 1, timeout: 1800), now: Self.start)
        try requester.expireOverdueApprovals(now: Self.start + 1799)
        #expect(try requester.requestsAwaitingApproval().map(\.id) == [record.id], "not yet")

        try requester.expireOverdueApprovals(now: Self.start + 1800)
        let expired = try requester.request(id: record.id)
        #expect(expired.state == .expired)
        #expect(expired.refusal?.message == "request \(record.id): deploy accounts to production expired: not approved within 30m (0 of 1 approvals)")
        #expect(expired.refusal?.exitCode == 1)
        #expect(try requester.requestsAwaitingApproval().isEmpty)
        #expect(try requester.latestEvents(kind: .requestExpired, limit: 10).first?.details?.reason == "not approved within 30m (0 of 1 approvals)")
        let late = #expect(throws: SlipwayError.self) { try alice.approve(requestID: record.id, now: Self.start + 1801) }
        #expect(late?.message.hasSuffix("is not awaiting approval: it is expired") == true, "\(late?.message ?? "")")
    }

    @Test func aDenialEndsItWithTheApproversReason() throws {
        let (requester, _, bob) = try stores()
        let record = try requester.record(Self.deploy, origin: "cli", approvalRule: ApprovalRule(approvals: 1), now: Self.start)
        try bob.deny(requestID: record.id, reason: "change freeze", now: Self.start + 5)
        let denied = try requester.request(id: record.id)
        #expect(denied.state == .denied)
        #expect(denied.refusal?.message == "request \(record.id): deploy accounts to production was denied by bob: change freeze")
        let event = try #require(try requester.latestEvents(kind: .requestDenied, limit: 10).first)
        #expect(event.actor == "bob" && event.details?.reason == "change freeze" && event.runID == record.id)
        #expect(try requester.claim(requestID: record.id, by: .current) == nil)
    }
}
