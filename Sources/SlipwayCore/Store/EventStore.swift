import Foundation

/// Where the engine keeps everything it does: the append-only event log and the fleet projection
/// folded from it, and the runs, locks, requests, output, health and alert records that processes
/// share. Two stores are one: the embedded `SQLiteStore` (one machine) and the shared
/// `PostgresStore` (a team).
///
/// Synchronous, as the engine's callers are: each call is one short transaction, and a write
/// waits for the store's write lock (SQLite's, or PostgreSQL's append lock), so writes are
/// serialised the same way on both.
public protocol EventStore: AnyObject, Sendable {
    /// Who acts through this store: the OS user on the embedded store, the database login on a shared one.
    var identity: ActorIdentity { get }
    /// Where the store is, for messages: a file path, or a connection string with its password masked.
    var location: String { get }
    /// Why writes are refused from now on (the store's file was replaced or removed), when they are.
    var fileProblem: String? { get }
    /// How many projections this store object has read or folded: one per read-model query.
    var projectionReads: Int { get }
    /// How many states `storedProjection(since:)` has decoded, where it could not reuse one.
    var statesDecoded: Int { get }
    /// The event log and its stored projection, for what reads or follows the log alone.
    var eventLog: any ProjectedEventLog { get }
    /// Masks `values` too from now on: secrets a provider handed over after the store was opened.
    func alsoMask(_ values: [String])

    // MARK: Events and the projection
    @discardableResult func append(_ events: [NewEvent]) throws(SlipwayError) -> [Event]
    func events(after id: Int64, limit: Int, component: String?) throws(SlipwayError) -> [Event]
    func latestEvents(limit: Int) throws(SlipwayError) -> [Event]
    func latestEvents(kind: EventKind, limit: Int) throws(SlipwayError) -> [Event]
    func events(forRun runID: String) throws(SlipwayError) -> [Event]
    func events(kind: EventKind, component: String, environment: String) throws(SlipwayError) -> [Event]
    func events(kinds: [EventKind], component: String, environment: String) throws(SlipwayError) -> [Event]
    func latestEventID() throws(SlipwayError) -> Int64
    /// Tells of every move of the newest event id, made through any handle on the store, for as
    /// long as the answer is kept; the store is read every `interval` seconds of `clock` when it
    /// has no way to tell (the embedded one, or the shared one while it cannot listen).
    func changes(every interval: Double, clock: any EngineClock) -> StoreChanges
    func projection() throws(SlipwayError) -> Projection
    /// The projection as stored, decoding only the states whose stored text changed since `previous`.
    func storedProjection(since previous: StoredProjectionRead?) throws(SlipwayError) -> StoredProjectionRead
    func releases(component: String, environment: String) throws(SlipwayError) -> [ReleaseTag]

    // MARK: The past
    func projection(at moment: Date) throws(SlipwayError) -> Projection
    func projection(through id: Int64) throws(SlipwayError) -> Projection
    func lastEvent(atOrBefore moment: Date) throws(SlipwayError) -> EventMark?
    func event(steps: Int, from id: Int64) throws(SlipwayError) -> EventMark?
    func latestEvent() throws(SlipwayError) -> EventMark?
    func latestEvents(limit: Int, through id: Int64) throws(SlipwayError) -> [Event]
    func latestEvents(kind: EventKind, limit: Int, through id: Int64) throws(SlipwayError) -> [Event]
    func runs(asOf moment: Date, limit: Int) throws(SlipwayError) -> [RunRecord]

    // MARK: Runs, locks and output
    func begin(_ run: RunRecord, lock: Bool, details: EventDetails) throws(SlipwayError)
    func finish(runID: String, state: RunState, reason: String?, events: [NewEvent]) throws(SlipwayError)
    func heartbeat(runID: String) throws(SlipwayError) -> Bool
    func requestCancel(runID: String) throws(SlipwayError) -> RunRecord
    @discardableResult func reapInterruptedRuns() throws(SlipwayError) -> [RunRecord]
    func runs(limit: Int) throws(SlipwayError) -> [RunRecord]
    func run(id: String) throws(SlipwayError) -> RunRecord
    func runIfBegun(id: String) throws(SlipwayError) -> RunRecord?
    func lock(component: String, environment: String) throws(SlipwayError) -> DeployLock?
    func appendOutput(runID: String, firstSequence: Int, lines: [String], time: Date) throws(SlipwayError)
    func lastOutputSequence(runID: String) throws(SlipwayError) -> Int
    func output(runID: String, after sequence: Int) throws(SlipwayError) -> [OutputLine]
    func recover(_ records: AgentRecords, reason: String) throws(SlipwayError) -> [Event]

    // MARK: Requests and approvals
    @discardableResult func record(
        _ request: RunRequest, id: String, origin: String, noWait: Bool, approvalRule: ApprovalRule?, now: Date
    ) throws(SlipwayError) -> RequestRecord
    func request(id: String) throws(SlipwayError) -> RequestRecord
    func claim(requestID id: String, by executor: ProcessIdentity) throws(SlipwayError) -> RequestRecord?
    func orphanedRequests() throws(SlipwayError) -> [RequestRecord]
    func saveCheckpoint(_ checkpoint: RunCheckpoint, requestID id: String) throws(SlipwayError)
    func finish(requestID id: String, refusal: SlipwayError?) throws(SlipwayError)
    func cancelBeforeRun(requestID id: String) throws(SlipwayError) -> Bool
    func adopt(runID: String, by executor: ProcessIdentity, stage: String?) throws(SlipwayError)
    func succeededStages(runID: String) throws(SlipwayError) -> Set<String>
    func startOfStage(_ stage: String, runID: String) throws(SlipwayError) -> Date?
    func requestsAwaitingApproval() throws(SlipwayError) -> [RequestRecord]
    func expireOverdueApprovals(now: Date) throws(SlipwayError)
    @discardableResult func approve(requestID id: String, now: Date) throws(SlipwayError) -> RequestRecord
    @discardableResult func deny(requestID id: String, reason: String, now: Date) throws(SlipwayError) -> RequestRecord

    // MARK: The pipeline
    func lastSuccessfulPipelineCommit(environment: String) throws(SlipwayError) -> (runID: String, commit: String)?
    func gatesPassed(component: String, version: String) throws(SlipwayError) -> Bool?
    func gateChecks(component: String, version: String) throws(SlipwayError) -> [GateCheckRecord]?

    // MARK: Local slots, routes, processes and live health, each host's own
    func slots(on hosts: HostScope) throws(SlipwayError) -> [SlotRecord]
    func save(_ slot: SlotRecord, event: NewEvent?) throws(SlipwayError)
    func routes(on hosts: HostScope) throws(SlipwayError) -> [RouteRecord]
    func save(_ route: RouteRecord, event: NewEvent?) throws(SlipwayError)
    func process(role: String, on host: String) throws(SlipwayError) -> ProcessRecord?
    func processes(on hosts: HostScope) throws(SlipwayError) -> [ProcessRecord]
    func save(_ process: ProcessRecord) throws(SlipwayError)
    func deleteProcess(role: String, on host: String) throws(SlipwayError)
    func save(_ probe: LiveProbe) throws(SlipwayError)
    func liveProbes(on hosts: HostScope) throws(SlipwayError) -> [LiveProbe]
    func save(_ reading: PlatformReading) throws(SlipwayError)
    func platformReadings() throws(SlipwayError) -> [PlatformReading]

    // MARK: Hosts
    /// Records that `host`'s agent is up now (or, with `stoppedAt`, that it stopped), replacing its row.
    func recordHeartbeat(of host: HostRecord) throws(SlipwayError)
    /// Every host whose agent ever recorded a heartbeat, by name.
    func hosts() throws(SlipwayError) -> [HostRecord]

    // MARK: Hosts' steps of a deploy to several hosts
    /// Records `steps` as pending, each with its `host.step_requested` event, in one transaction.
    func add(_ steps: [HostStep]) throws(SlipwayError)
    /// Marks `host`'s pending steps working and returns them; a step goes to one claimer. A pending
    /// step of a run that already ended is refused instead: failed, with its `host.step_finished` event.
    func claimHostSteps(of host: String) throws(SlipwayError) -> [HostStep]
    /// Tells the runs waiting on `host`'s working steps that its agent is still at them.
    func touchHostSteps(of host: String) throws(SlipwayError)
    /// Records how a step ended, with its `host.step_finished` event, in one transaction.
    func finish(_ step: HostStep) throws(SlipwayError)
    func hostSteps(ofRun runID: String) throws(SlipwayError) -> [HostStep]

    // MARK: Canaries
    func canaries() throws(SlipwayError) -> [CanaryRecord]
    func canary(component: String, environment: String) throws(SlipwayError) -> CanaryRecord?
    func save(_ canary: CanaryRecord, event: NewEvent?) throws(SlipwayError)
    func request(_ command: CanaryCommand.Kind, component: String, environment: String) throws(SlipwayError)
    func takeCanaryCommands(component: String, environment: String) throws(SlipwayError) -> [CanaryCommand]

    // MARK: SLIs, alerts and their outbox
    func add(_ increments: [SLIIncrement], now: Date) throws(SlipwayError)
    func sliMinutes(component: String, environment: String, objective: String, since: Int) throws(SlipwayError) -> [SLIMinute]
    func sliSums(_ requests: [SLIWindows], before end: Int) throws(SlipwayError) -> [[(total: Int, bad: Int)]]
    func sliSubjects() throws(SlipwayError) -> [(component: String, environment: String)]
    func alertStates() throws(SlipwayError) -> [AlertStateRecord]
    func save(_ states: [AlertStateRecord], raising alerts: [Alert], routing: AlertSettings) throws(SlipwayError)
    func raise(_ alert: Alert, routing: AlertSettings) throws(SlipwayError)
    func silence(_ silence: AlertSilence) throws(SlipwayError)
    func silences(at moment: Date) throws(SlipwayError) -> [AlertSilence]
    func claimDeliveries(
        by owner: String, lease: TimeInterval, excluding sinks: [String], at now: Date, limit: Int
    ) throws(SlipwayError) -> [AlertDelivery]
    func recordAttempt(_ id: Int64, error: String?, nextAttempt: Date, at now: Date) throws(SlipwayError)
    func releaseClaim(_ id: Int64) throws(SlipwayError)
    func outboxCounts() throws(SlipwayError) -> (delivered: Int, pending: Int)
}

/// The defaults callers lean on, and what follows from the requirements alone.
extension EventStore {
    /// The actor's name, as events record it.
    public var actor: String { identity.name }

    @discardableResult
    public func append(_ event: NewEvent) throws(SlipwayError) -> Event {
        try append([event])[0]
    }

    public func events(after id: Int64 = 0, limit: Int = 1000) throws(SlipwayError) -> [Event] {
        try events(after: id, limit: limit, component: nil)
    }

    /// `component`'s events after `id`, oldest first.
    public func events(component: String, after id: Int64 = 0, limit: Int = 1000) throws(SlipwayError) -> [Event] {
        try events(after: id, limit: limit, component: component)
    }

    /// Changes read every half second where the store cannot tell of them, on the system's clock.
    public func changes() -> StoreChanges {
        changes(every: 0.5, clock: SystemClock())
    }

    public func runs(asOf moment: Date) throws(SlipwayError) -> [RunRecord] {
        try runs(asOf: moment, limit: 50)
    }

    public func runs() throws(SlipwayError) -> [RunRecord] {
        try runs(limit: 50)
    }

    public func appendOutput(runID: String, firstSequence: Int, lines: [String]) throws(SlipwayError) {
        try appendOutput(runID: runID, firstSequence: firstSequence, lines: lines, time: Date())
    }

    public func output(runID: String) throws(SlipwayError) -> [OutputLine] {
        try output(runID: runID, after: -1)
    }

    @discardableResult
    public func record(
        _ request: RunRequest, origin: String, noWait: Bool = false, approvalRule: ApprovalRule? = nil, now: Date = Date()
    ) throws(SlipwayError) -> RequestRecord {
        try record(request, id: RunRecord.newID(), origin: origin, noWait: noWait, approvalRule: approvalRule, now: now)
    }

    @discardableResult
    public func record(
        _ request: RunRequest, id: String, origin: String, noWait: Bool = false, approvalRule: ApprovalRule? = nil
    ) throws(SlipwayError) -> RequestRecord {
        try record(request, id: id, origin: origin, noWait: noWait, approvalRule: approvalRule, now: Date())
    }

    public func finish(requestID id: String) throws(SlipwayError) {
        try finish(requestID: id, refusal: nil)
    }

    /// Every host's slots, for status and the console.
    public func slots() throws(SlipwayError) -> [SlotRecord] { try slots(on: .everyHost) }
    /// Every host's routes, for status and the console.
    public func routes() throws(SlipwayError) -> [RouteRecord] { try routes(on: .everyHost) }
    /// Every host's long-lived processes.
    public func processes() throws(SlipwayError) -> [ProcessRecord] { try processes(on: .everyHost) }
    /// Every host's latest live probes.
    public func liveProbes() throws(SlipwayError) -> [LiveProbe] { try liveProbes(on: .everyHost) }
    /// This host's process of `role`.
    public func process(role: String) throws(SlipwayError) -> ProcessRecord? { try process(role: role, on: ProcessIdentity.hostName) }
    /// Deletes this host's process of `role`.
    public func deleteProcess(role: String) throws(SlipwayError) { try deleteProcess(role: role, on: ProcessIdentity.hostName) }

    public func save(_ slot: SlotRecord) throws(SlipwayError) { try save(slot, event: nil) }
    public func save(_ route: RouteRecord) throws(SlipwayError) { try save(route, event: nil) }
    public func save(_ canary: CanaryRecord) throws(SlipwayError) { try save(canary, event: nil) }

    public func add(_ increments: [SLIIncrement]) throws(SlipwayError) { try add(increments, now: Date()) }

    /// Total and bad events of one objective in the `length` complete minutes before `end`, for
    /// each length.
    public func sliSums(
        component: String, environment: String, objective: String, lengths: [Int], before end: Int
    ) throws(SlipwayError) -> [(total: Int, bad: Int)] {
        try sliSums(
            [SLIWindows(component: component, environment: environment, objective: objective, lengths: lengths)],
            before: end)[0]
    }

    public func silences() throws(SlipwayError) -> [AlertSilence] { try silences(at: Date()) }

    public func claimDeliveries(
        by owner: String, lease: TimeInterval, excluding sinks: [String] = [], limit: Int = 100
    ) throws(SlipwayError) -> [AlertDelivery] {
        try claimDeliveries(by: owner, lease: lease, excluding: sinks, at: Date(), limit: limit)
    }

    public func recordAttempt(_ id: Int64, error: String?, nextAttempt: Date) throws(SlipwayError) {
        try recordAttempt(id, error: error, nextAttempt: nextAttempt, at: Date())
    }

    /// Whether an agent probes the fleet: this host's, alive as its process record says, or
    /// another host's, up as its heartbeat says.
    public func agentIsAlive(now: Date = Date()) -> Bool {
        if let record = try? process(role: "agent"), record.identity.isAlive(lastHeartbeat: .distantPast) { return true }
        return ((try? hosts()) ?? []).contains { $0.host != ProcessIdentity.hostName && $0.isUp(at: now) }
    }
}
