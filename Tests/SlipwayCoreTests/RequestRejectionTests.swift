import Foundation
import SlipwayCore
import SlipwayTestSupport
import Testing

/// A request the agent refuses before its run begins (its component gone, its config broken, a
/// gate) may have no requester left to read the refusal: the audit keeps it as `request.rejected`.
@Suite struct RequestRejectionTests {
    static let deploy = RunRequest.deploy(.init(component: "accounts", kind: .service, environment: "production", version: nil, force: false))

    func store() throws -> EventStore {
        try SQLiteStore(path: try TemporaryWorkspace().statePath, actor: "agent", masker: SecretMasker(values: ["hunter2-token"]))
    }

    @Test func aRefusalBeforeTheRunIsRecordedWithWhatWasAskedAndWhy() throws {
        let store = try store()
        let record = try store.record(Self.deploy, origin: "console")
        _ = try #require(try store.claim(requestID: record.id, by: .current))
        try store.finish(requestID: record.id, refusal: .usage("unknown component 'accounts' (token hunter2-token)"))

        #expect(try store.request(id: record.id).state == .rejected)
        let events = try store.latestEvents(kind: .requestRejected, limit: 10)
        let event = try #require(events.first)
        #expect(events.count == 1)
        #expect(event.runID == record.id && event.component == "accounts" && event.environment == "production")
        #expect(event.details?.runKind == .deploy)
        #expect(event.details?.stage == "deploy accounts to production")
        #expect(event.details?.reason == "unknown component 'accounts' (token \(SecretMasker.mask))", "secrets stay masked")
    }

    @Test func aRefusalAlreadyInTheAuditIsNotRecordedTwice() throws {
        let store = try store()
        let record = try store.record(Self.deploy, origin: "cli")
        _ = try #require(try store.claim(requestID: record.id, by: .current))
        _ = try store.append(NewEvent(
            .deployRefused, component: "accounts", environment: "production", runID: record.id,
            details: EventDetails(runKind: .deploy, reason: "deploy lock held")))
        try store.finish(requestID: record.id, refusal: .failure("deploy lock held"))

        #expect(try store.request(id: record.id).state == .rejected)
        #expect(try store.latestEvents(kind: .requestRejected, limit: 10).isEmpty)
    }

    @Test func aRequestThatRanEndsWithoutARejection() throws {
        let store = try store()
        let record = try store.record(Self.deploy, origin: "cli")
        _ = try #require(try store.claim(requestID: record.id, by: .current))
        try store.finish(requestID: record.id)

        #expect(try store.request(id: record.id).state == .done)
        #expect(try store.latestEvents(kind: .requestRejected, limit: 10).isEmpty)
    }
}
