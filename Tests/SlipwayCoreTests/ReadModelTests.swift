import Foundation
import SlipwayCore
import SlipwayTestSupport
import Testing

/// The engine's read-model queries against a real store: what the console and the CLI read,
/// each folding (or reading) the projection at most once per call.
@Suite struct ReadModelTests {
    static let start = Date(timeIntervalSince1970: 1_800_000_000)

    func engine(_ workspace: TemporaryWorkspace) async throws -> Engine {
        try workspace.makeFolder("services/accounts")
        try workspace.makeFolder("services/billing")
        return try await Engine.open(workspace: workspace.root, state: workspace.statePath, output: { _ in })
    }

    /// A deploy of `version` recorded as the deployer records it: run, success, tag, finish.
    func deploy(_ store: EventStore, _ component: String, _ version: String, color: String, at time: Date) throws {
        let run = RunRecord.newID(now: time)
        try store.append([
            NewEvent(.runStarted, component: component, environment: "staging", runID: run,
                     details: EventDetails(runKind: .deploy, version: version), time: time),
            NewEvent(.deploySucceeded, component: component, environment: "staging", runID: run,
                     details: EventDetails(runKind: .deploy, version: version, commit: "c-\(version)", color: color), time: time),
            NewEvent(.releaseTagged, component: component, environment: "staging", runID: run,
                     details: EventDetails(version: version, commit: "c-\(version)"), time: time),
            NewEvent(.runFinished, component: component, environment: "staging", runID: run,
                     details: EventDetails(runKind: .deploy, version: version, outcome: "succeeded"), time: time),
        ])
    }

    /// How many projections `read` reads or folds through the engine's store.
    func projectionReads<T>(_ engine: Engine, _ read: () throws -> T) rethrows -> (T, Int) {
        let before = engine.store.projectionReads
        let value = try read()
        return (value, engine.store.projectionReads - before)
    }

    @Test func theFleetNowAndAtAPastMomentEachFoldTheProjectionOnce() async throws {
        let workspace = try TemporaryWorkspace()
        let engine = try await engine(workspace)
        try deploy(engine.store, "accounts", "v1", color: "blue", at: Self.start)
        try deploy(engine.store, "accounts", "v2", color: "green", at: Self.start + 60)

        let (rows, reads) = try projectionReads(engine) { try engine.fleet() }
        #expect(reads == 1)
        let staging = try #require(rows.first { $0.component == "accounts" && $0.environment == "staging" })
        #expect(staging.liveVersion == "v2" && staging.liveColor == "green")
        #expect(Set(rows.map(\.component)) == ["accounts", "billing"], "every component, deployed or not")

        let (past, pastReads) = try projectionReads(engine) { try engine.fleet(at: Self.start + 30) }
        #expect(pastReads == 1)
        #expect(past.first { $0.component == "accounts" && $0.environment == "staging" }?.liveVersion == "v1")
    }

    /// With routes and probes of several hosts, a row's URL is this host's router's and its
    /// health the newest probe's, whichever host made it.
    @Test func aRowTakesThisHostsRouteAndTheNewestProbeOfAnyHost() async throws {
        let workspace = try TemporaryWorkspace()
        let engine = try await engine(workspace)
        try deploy(engine.store, "accounts", "v1", color: "blue", at: Self.start)
        try engine.store.append(NewEvent(
            .healthChecked, component: "accounts", environment: "staging", details: EventDetails(healthy: true), time: Self.start))
        let elsewhere = ProcessIdentity.hostName + "-other"
        let routes = [
            RouteRecord(component: "accounts", environment: "staging", host: "10.0.0.2", port: 9000, liveColor: "blue", greenWeight: 0,
                        hostName: elsewhere),
            RouteRecord(component: "accounts", environment: "staging", host: "127.0.0.1", port: 8080, liveColor: "blue", greenWeight: 0),
        ]
        let probes = [
            LiveProbe(component: "accounts", environment: "staging", checkedAt: Self.start - 1, healthy: true),
            LiveProbe(component: "accounts", environment: "staging", checkedAt: Self.start + 1, healthy: true, host: elsewhere),
        ]
        let rows = FleetRow.rows(
            workspace: engine.workspace, projection: try engine.store.projection(), routes: routes, probes: probes, now: Self.start + 2)
        let staging = try #require(rows.first { $0.component == "accounts" && $0.environment == "staging" })
        #expect(staging.url == "http://127.0.0.1:8080")
        #expect(staging.healthCheckedAt == Self.start + 1)
    }

    @Test func aSnapshotReadsTheProjectionOnceAndNoneWhenGivenOne() async throws {
        let workspace = try TemporaryWorkspace()
        let engine = try await engine(workspace)
        try deploy(engine.store, "accounts", "v1", color: "blue", at: Self.start)

        let (snapshot, reads) = try projectionReads(engine) { try engine.fleetSnapshot(runLimit: 10) }
        #expect(reads == 1)
        #expect(snapshot.projection == (try engine.store.projection()))
        #expect(snapshot.rows == FleetRow.rows(
            workspace: engine.workspace, projection: snapshot.projection, agentIsAlive: engine.store.agentIsAlive()))

        // The console keeps its own projection up to date: the snapshot takes it as it is.
        var known = Projection()
        known.apply(try engine.latestEvents(limit: 1)[0])
        let (given, givenReads) = try projectionReads(engine) { try engine.fleetSnapshot(projection: known, runLimit: 10) }
        #expect(givenReads == 0)
        #expect(given.projection == known)

        let mark = try #require(try engine.eventMark(atOrBefore: Self.start))
        let (then, pastReads) = try projectionReads(engine) { try engine.fleetSnapshot(through: mark, runLimit: 10) }
        #expect(pastReads == 1)
        #expect(then.projection == (try engine.store.projection(through: mark.id)))
    }

    @Test func releaseHistoryMarksTheLiveVersionFromOneRead() async throws {
        let workspace = try TemporaryWorkspace()
        let engine = try await engine(workspace)
        try deploy(engine.store, "accounts", "v1", color: "blue", at: Self.start)
        try deploy(engine.store, "accounts", "v2", color: "green", at: Self.start + 60)
        try deploy(engine.store, "accounts", "v1", color: "blue", at: Self.start + 120)

        let (history, reads) = try projectionReads(engine) { try engine.releaseHistory(of: "accounts", in: "staging") }
        #expect(reads == 1)
        #expect(history.tags.map(\.version) == ["v1", "v2"], "newest first, one per version")
        #expect(history.liveVersion == "v1")
        #expect(history.tags.map(history.isLive) == [true, false])
        let (tags, tagReads) = try projectionReads(engine) { try engine.releaseTags(of: "accounts", in: "staging") }
        #expect(tagReads == 0 && tags == history.tags)
        #expect(try engine.releaseHistory(of: "billing", in: "staging") == ReleaseHistory(tags: [], liveVersion: nil))
    }

    @Test func aRunReportHasItsRunItsFinishedStagesAndItsOutput() async throws {
        let workspace = try TemporaryWorkspace()
        let engine = try await engine(workspace)
        let me = ProcessIdentity.current
        let run = RunRecord(
            id: "r1", kind: .deploy, component: "accounts", environment: "staging", version: "v1", state: .running,
            actor: engine.identity.name, origin: "test", host: me.host, pid: me.pid, pidStartTime: me.startTime,
            startedAt: Self.start, heartbeatAt: Self.start)
        try engine.store.begin(run, lock: true, details: EventDetails(runKind: .deploy, version: "v1"))
        try engine.store.append([
            NewEvent(.stageStarted, component: "accounts", environment: "staging", runID: "r1", details: EventDetails(stage: "build")),
            NewEvent(.stageFinished, component: "accounts", environment: "staging", runID: "r1",
                     details: EventDetails(stage: "build", outcome: "succeeded", exitCode: 0, seconds: 1.5)),
            NewEvent(.stageFinished, component: "billing", environment: "staging", runID: "r2",
                     details: EventDetails(stage: "build", outcome: "failed")),
        ])
        try engine.store.appendOutput(runID: "r1", firstSequence: 0, lines: ["building", "built"])
        try engine.store.finish(runID: "r1", state: .succeeded, reason: nil, events: [])

        let report = try engine.runReport(id: "r1")
        #expect(report.run.id == "r1" && report.run.state == .succeeded)
        #expect(report.stages.map(\.stage) == ["build"] && report.stages.map(\.outcome) == ["succeeded"])
        #expect(report.output.map(\.text) == ["building", "built"])
        #expect(try engine.output(runID: "r1", after: 0).map(\.text) == ["built"])
        #expect(try engine.runs(limit: 10).map(\.id) == ["r1"])
        #expect(throws: SlipwayError(.unknownRun("nope"))) { try engine.runReport(id: "nope") }
    }

    @Test func eventQueriesPageFilterByKindAndStopAtAMark() async throws {
        let workspace = try TemporaryWorkspace()
        let engine = try await engine(workspace)
        #expect(try engine.latestEventID() == 0 && engine.latestEventMark() == nil)
        try deploy(engine.store, "accounts", "v1", color: "blue", at: Self.start)
        try deploy(engine.store, "billing", "v1", color: "blue", at: Self.start + 60)

        #expect(try engine.latestEventID() == 8)
        #expect(try engine.events(after: 2, limit: 3).map(\.id) == [3, 4, 5])
        #expect(try engine.events(after: 0, limit: 100, component: "billing").map(\.id) == [5, 6, 7, 8])
        #expect(try engine.latestEvents(limit: 2).map(\.id) == [8, 7])
        #expect(try engine.latestEvents(limit: 2, through: 4).map(\.id) == [4, 3])
        #expect(try engine.latestEvents(kind: .releaseTagged, limit: 10).map(\.id) == [7, 3])
        #expect(try engine.latestEvents(kind: .releaseTagged, limit: 10, through: 6).map(\.id) == [3])
        #expect(try engine.eventMark(atOrBefore: Self.start + 30)?.id == 4)
        #expect(try engine.eventMark(steps: -2, from: 8)?.id == 6)
        #expect(try engine.latestEventMark()?.id == 8)
        let run = try #require(try engine.latestEvents(limit: 1).first?.runID)
        #expect(try engine.events(forRun: run).map(\.id) == [5, 6, 7, 8])
    }

    @Test func canariesCarryTheirRunsStateFromKnownRunsOrTheStore() async throws {
        let workspace = try TemporaryWorkspace()
        let engine = try await engine(workspace)
        let me = ProcessIdentity.current
        let run = RunRecord(
            id: "r1", kind: .deploy, component: "accounts", environment: "staging", version: "v2", state: .running,
            actor: engine.identity.name, origin: "test", host: me.host, pid: me.pid, pidStartTime: me.startTime,
            startedAt: Self.start, heartbeatAt: Self.start)
        try engine.store.begin(run, lock: true, details: EventDetails(runKind: .deploy, version: "v2"))
        let progress = CanaryProgress(policy: CanaryPolicy(monitoringPeriod: 180, interval: 60), startedAt: Self.start)
        for (component, runID) in [("accounts", "r1"), ("billing", "r-gone")] {
            try engine.store.save(CanaryRecord(
                component: component, environment: "staging", runID: runID, version: "v2", canaryColor: "green",
                stableColor: "blue", progress: progress, updatedAt: Self.start))
        }

        let read = try engine.canaries()
        #expect(read.map(\.record.component) == ["accounts", "billing"])
        #expect(read.map(\.runState) == [.running, nil], "a run not in the store has no state")
        var finished = run
        finished.state = .succeeded
        #expect(try engine.canaries(knownRuns: [finished]).map(\.runState) == [.succeeded, nil], "a known run is not read again")
        #expect(try engine.canary(component: "accounts", environment: "staging")?.runID == "r1")
        #expect(try engine.canary(component: "accounts", environment: "production") == nil)
    }

    @Test func objectivesAlertsAndSilencesAreReadAsRecorded() async throws {
        let workspace = try TemporaryWorkspace()
        let engine = try await engine(workspace)
        let minute = SLIMinute.number(of: Self.start)
        try engine.store.add(
            [.init(component: "accounts", environment: "staging", objective: "availability",
                   minute: SLIMinute(minute: minute - 2, total: 100, bad: 1))],
            now: Self.start)

        let report = try engine.sloReport(environment: "staging", at: Self.start)
        #expect(report.entries.map(\.status.objective.name).contains("availability"))
        #expect(try engine.sloReport(environment: "production", at: Self.start).entries.isEmpty)
        let minutes = try engine.sliMinutes(component: "accounts", environment: "staging", objective: "availability", since: minute - 60)
        #expect(minutes == [SLIMinute(minute: minute - 2, total: 100, bad: 1)])

        #expect(try engine.raisedAlerts(limit: 10).isEmpty)
        try engine.store.append(NewEvent(.alertRaised, component: "accounts", environment: "staging", details: EventDetails(reason: "burn")))
        #expect(try engine.raisedAlerts(limit: 10).count == 1)
        #expect(try engine.raisedAlerts(limit: 10, through: 0).isEmpty)

        let silence = AlertSilence(
            severity: nil, component: "accounts", environment: nil, startsAt: Self.start, endsAt: Self.start + 3600,
            reason: "maintenance", actor: engine.identity.name)
        try engine.store.silence(silence)
        #expect(try engine.silences(at: Self.start + 60).map(\.id) == [silence.id])
        #expect(try engine.silences(at: Self.start + 3601).isEmpty)
    }
}
