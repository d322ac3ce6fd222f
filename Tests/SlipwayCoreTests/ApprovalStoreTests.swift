import Foundation
import SlipwayCore
import SlipwayTestSupport
import Testing

/// The two-person rule in the store: a request awaiting approval is invisible to agents until
/// enough distinct approvers approve it, and ends expired at its time, with each step in the
/// audit. On both stores; on PostgreSQL each approver is a login of its own.
@Suite(.postgresCluster, .timeLimit(.minutes(5)))
struct ApprovalStoreTests {
    static let deploy = RunRequest.deploy(.init(component: "accounts", kind: .service, environment: "production", version: nil, force: false))
    static let start = Date(timeIntervalSince1970: 1_795_944_600)

    func stores(_ kind: StoreKind, in folder: TemporaryWorkspace) async throws -> (requester: any EventStore, alice: any EventStore, bob: any EventStore) {
        let stores = try await kind.open(in: folder, actors: ["tester", "alice", "bob"])
        return (stores[0], stores[1], stores[2])
    }

    /// The store's events of `kind`, oldest first.
    func events(_ kind: EventKind, in store: any EventStore) throws -> [Event] {
        try store.events(after: 0, limit: 1000, component: nil).filter { $0.kind == kind.rawValue }
    }

    @Test(arguments: StoreKind.allCases)
    func noAgentMayTakeItUntilTheLastApprovalItNeeds(kind: StoreKind) async throws {
        let folder = try TemporaryWorkspace()
        let (requester, alice, bob) = try await stores(kind, in: folder)
        let record = try requester.record(
            Self.deploy, origin: "cli", approvalRule: ApprovalRule(approvals: 2, timeout: 600), now: Self.start)
        #expect(record.state == .awaitingApproval && record.expiresAt == Self.start.addingTimeInterval(600))
        #expect(try requester.request(id: record.id) == record, "what was recorded reads back")
        #expect(try requester.orphanedRequests().isEmpty, "an agent's scan does not see it")
        #expect(try requester.claim(requestID: record.id, by: .current) == nil)

        let first = try alice.approve(requestID: record.id, now: Self.start + 60)
        #expect(first.state == .awaitingApproval && first.approvedBy == [alice.actor])
        let twice = #expect(throws: SlipwayError.self) { try alice.approve(requestID: record.id, now: Self.start + 61) }
        #expect(twice?.message == "\(alice.actor) has already approved request \(record.id); it needs another approver")
        #expect(try requester.claim(requestID: record.id, by: .current) == nil)

        let second = try bob.approve(requestID: record.id, now: Self.start + 120)
        #expect(second.state == .pending && second.approvedBy == [alice.actor, bob.actor] && second.approvedAt == Self.start + 120)
        #expect(try requester.request(id: record.id) == second)
        #expect(try requester.claim(requestID: record.id, by: .current)?.state == .claimed)
        let approvals = try events(.requestApproved, in: requester)
        #expect(approvals.map(\.actor) == [alice.actor, bob.actor])
        #expect(approvals.compactMap(\.details?.outcome) == ["1/2", "2/2"])
    }

    @Test(arguments: StoreKind.allCases)
    func itExpiresAtItsTimeAndIsThenNoLongerApprovable(kind: StoreKind) async throws {
        let folder = try TemporaryWorkspace()
        let (requester, alice, _) = try await stores(kind, in: folder)
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
        #expect(try events(.requestExpired, in: requester).map(\.details?.reason) == ["not approved within 30m (0 of 1 approvals)"])
        let late = #expect(throws: SlipwayError.self) { try alice.approve(requestID: record.id, now: Self.start + 1801) }
        #expect(late?.message.hasSuffix("is not awaiting approval: it is expired") == true, "\(late?.message ?? "")")
        #expect(throws: SlipwayError(.unknownRequest("nope"))) { try alice.approve(requestID: "nope", now: Self.start) }
    }

    @Test(arguments: StoreKind.allCases)
    func aDenialEndsItWithTheApproversReason(kind: StoreKind) async throws {
        let folder = try TemporaryWorkspace()
        let (requester, _, bob) = try await stores(kind, in: folder)
        bob.alsoMask(["freeze-token-42"])
        let record = try requester.record(Self.deploy, origin: "cli", approvalRule: ApprovalRule(approvals: 1), now: Self.start)
        try bob.deny(requestID: record.id, reason: "change freeze (freeze-token-42)", now: Self.start + 5)
        let denied = try requester.request(id: record.id)
        #expect(denied.state == .denied)
        #expect(denied.refusal?.message == "request \(record.id): deploy accounts to production was denied by \(bob.actor): change freeze (\(SecretMasker.mask))")
        let event = try #require(try events(.requestDenied, in: requester).first)
        #expect(event.actor == bob.actor && event.details?.reason == "change freeze (\(SecretMasker.mask))" && event.runID == record.id)
        #expect(try requester.claim(requestID: record.id, by: .current) == nil)
        let again = #expect(throws: SlipwayError.self) { try bob.deny(requestID: record.id, reason: "still", now: Self.start + 6) }
        #expect(again?.message.hasSuffix("is not awaiting approval: it is denied") == true, "\(again?.message ?? "")")
    }
}
