import Foundation
import SlipwayCore
import SlipwayTestSupport
import Testing

/// A request the agent refuses before its run begins (its component gone, its config broken, a
/// gate) may have no requester left to read the refusal: the audit keeps it as `request.rejected`.
/// On both stores.
@Suite(.postgresCluster, .timeLimit(.minutes(5)))
struct RequestRejectionTests {
    static let deploy = RunRequest.deploy(.init(component: "accounts", kind: .service, environment: "production", version: nil, force: false))

    func store(_ kind: StoreKind, in folder: TemporaryWorkspace) async throws -> any EventStore {
        try await kind.open(in: folder, actor: "agent", masker: SecretMasker(values: ["hunter2-token"])).store
    }

    /// The store's `request.rejected` events, oldest first.
    func rejections(in store: any EventStore) throws -> [Event] {
        try store.events(after: 0, limit: 1000, component: nil).filter { $0.knownKind == .requestRejected }
    }

    @Test(arguments: StoreKind.allCases)
    func aRefusalBeforeTheRunIsRecordedWithWhatWasAskedAndWhy(kind: StoreKind) async throws {
        let folder = try TemporaryWorkspace()
        let store = try await store(kind, in: folder)
        let record = try store.record(Self.deploy, origin: "console")
        _ = try #require(try store.claim(requestID: record.id, by: .current))
        try store.finish(requestID: record.id, refusal: .usage("unknown component 'accounts' (token hunter2-token)"))

        let rejected = try store.request(id: record.id)
        #expect(rejected.state == .rejected)
        #expect(rejected.refusal == .usage("unknown component 'accounts' (token \(SecretMasker.mask))"))
        let events = try rejections(in: store)
        let event = try #require(events.first)
        #expect(events.count == 1)
        #expect(event.runID == record.id && event.component == "accounts" && event.environment == "production")
        #expect(event.details?.runKind == .deploy)
        #expect(event.details?.stage == "deploy accounts to production")
        #expect(event.details?.reason == "unknown component 'accounts' (token \(SecretMasker.mask))", "secrets stay masked")
    }

    @Test(arguments: StoreKind.allCases)
    func aRefusalAlreadyInTheAuditIsNotRecordedTwice(kind: StoreKind) async throws {
        let folder = try TemporaryWorkspace()
        let store = try await store(kind, in: folder)
        let record = try store.record(Self.deploy, origin: "cli")
        _ = try #require(try store.claim(requestID: record.id, by: .current))
        _ = try store.append(NewEvent(
            .deployRefused, component: "accounts", environment: "production", runID: record.id,
            details: EventDetails(runKind: .deploy, reason: "deploy lock held")))
        try store.finish(requestID: record.id, refusal: .failure("deploy lock held"))

        #expect(try store.request(id: record.id).state == .rejected)
        #expect(try rejections(in: store).isEmpty)
    }

    @Test(arguments: StoreKind.allCases)
    func aRequestThatRanEndsWithoutARejection(kind: StoreKind) async throws {
        let folder = try TemporaryWorkspace()
        let store = try await store(kind, in: folder)
        let record = try store.record(Self.deploy, origin: "cli")
        _ = try #require(try store.claim(requestID: record.id, by: .current))
        try store.finish(requestID: record.id)

        #expect(try store.request(id: record.id).state == .done)
        #expect(try rejections(in: store).isEmpty)
    }
}
