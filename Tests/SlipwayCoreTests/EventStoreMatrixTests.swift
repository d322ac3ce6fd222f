import Foundation
@testable import SlipwayCore
import SlipwayTestSupport
import Testing

/// The engine store's event and projection reads on both stores.
@Suite(.postgresCluster, .timeLimit(.minutes(5)))
struct EventStoreMatrixTests {
    static func deploy(_ component: String, _ version: String, run: String) -> [NewEvent] {
        [
            NewEvent(.runStarted, component: component, environment: "staging", runID: run, details: EventDetails(runKind: .deploy, version: version)),
            NewEvent(.deploySucceeded, component: component, environment: "staging", runID: run, details: EventDetails(version: version, color: "blue")),
            NewEvent(.runFinished, component: component, environment: "staging", runID: run,
                     details: EventDetails(runKind: .deploy, version: version, outcome: "succeeded")),
        ]
    }

    @Test(arguments: StoreKind.allCases)
    func appendedEventsReadBackInOrderAndFoldIntoTheProjection(kind: StoreKind) async throws {
        let folder = try TemporaryWorkspace()
        let (store, other) = try await kind.open(in: folder)
        try store.append(Self.deploy("api", "1.0.0", run: "r1"))
        try store.append(Self.deploy("web", "2.0.0", run: "r2"))
        let events = try other.events(after: 0, limit: 100, component: nil)
        #expect(events.map(\.id) == Array(1...6))
        #expect(try other.latestEventID() == 6)
        #expect(try other.events(component: "web").count == 3)
        let projection = try other.projection()
        #expect(projection.states[.init(component: "api", environment: "staging")]?.liveVersion == "1.0.0")
        #expect(projection.states[.init(component: "web", environment: "staging")]?.liveVersion == "2.0.0")
    }

    @Test(arguments: StoreKind.allCases)
    func stepsStopAtTheEndsAndMomentsFindTheirLastEvent(kind: StoreKind) async throws {
        let folder = try TemporaryWorkspace()
        let (store, _) = try await kind.open(in: folder)
        let start = Date(timeIntervalSince1970: 1_800_000_000)
        for index in 0..<5 {
            try store.append(NewEvent(.healthChecked, component: "accounts", environment: "staging",
                                      details: EventDetails(healthy: true), time: start + Double(index) * 60))
        }
        #expect(try store.lastEvent(atOrBefore: start + 150)?.id == 3)
        #expect(try store.lastEvent(atOrBefore: start - 1) == nil)
        #expect(try store.event(steps: 0, from: 3)?.id == 3)
        #expect(try store.event(steps: -1, from: 3)?.id == 2)
        #expect(try store.event(steps: -9, from: 3)?.id == 1)
        #expect(try store.event(steps: 2, from: 3)?.id == 5)
        #expect(try store.event(steps: 9, from: 3)?.id == 5)
        #expect(try store.latestEvent()?.id == 5)
        #expect(try store.latestEvents(limit: 10, through: 2).map(\.id) == [2, 1])
        #expect(try store.latestEvents(kind: .healthChecked, limit: 2, through: 4).map(\.id) == [4, 3])
    }

    @Test(arguments: StoreKind.allCases)
    func everyPastEventFoldsToTheProjectionOfTheEventsUpToIt(kind: StoreKind) async throws {
        let folder = try TemporaryWorkspace()
        let (store, other) = try await kind.open(in: folder)
        var events: [Event] = []
        for index in 0..<6 {
            events += try store.append(Self.deploy(index % 2 == 0 ? "api" : "web", "1.0.\(index)", run: "r\(index)"))
            events.append(try store.append(NewEvent(
                .healthChecked, component: "api", environment: "staging", details: EventDetails(version: "1.0.\(index)", healthy: index % 3 != 0))))
        }
        var expected = Projection()
        for event in events {
            expected.apply(event)
            #expect(try other.projection(through: event.id) == expected, "through event \(event.id)")
        }
        #expect(try other.projection(through: events.last?.id ?? 0) == other.projection())
        #expect(try other.projection(at: Date(timeIntervalSince1970: 0)) == Projection())
    }

    @Test(arguments: StoreKind.allCases)
    func readsByKindRunAndComponentAndReleaseTagsNewestFirst(kind: StoreKind) async throws {
        let folder = try TemporaryWorkspace()
        let (store, other) = try await kind.open(in: folder)
        try store.append(Self.deploy("api", "1.0.0", run: "r1"))
        try store.append(Self.deploy("web", "2.0.0", run: "r2"))
        for (version, run) in [("1.0.0", "r1"), ("1.1.0", "r3"), ("1.0.0", "r4")] {
            try store.append(NewEvent(
                .releaseTagged, component: "api", environment: "staging", runID: run, details: EventDetails(version: version, commit: "c-\(run)")))
        }
        #expect(try other.latestEvents(limit: 2).map(\.id) == [9, 8])
        #expect(try other.latestEvents(kind: .runStarted, limit: 5).map(\.runID) == ["r2", "r1"])
        #expect(try other.events(forRun: "r2").map(\.kind) == ["run.started", "deploy.succeeded", "run.finished"])
        #expect(try other.events(kind: .runFinished, component: "api", environment: "staging").map(\.runID) == ["r1"])
        #expect(try other.events(kinds: [.runStarted, .runFinished], component: "web", environment: "staging").count == 2)
        // The newest tag of a version wins; older tags of it are left out.
        let tags = try other.releases(component: "api", environment: "staging")
        #expect(tags.map(\.version) == ["1.0.0", "1.1.0"])
        #expect(tags.map(\.commit) == ["c-r4", "c-r3"])
    }
}
