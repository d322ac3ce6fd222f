import Foundation

extension PostgresStore {
    public func begin(_ run: RunRecord, lock: Bool, details: EventDetails) throws(SlipwayError) {
        throw SlipwayError.failure("begin is not on the shared PostgreSQL store yet")
    }

    public func finish(runID: String, state: RunState, reason: String?, events: [NewEvent]) throws(SlipwayError) {
        throw SlipwayError.failure("finish is not on the shared PostgreSQL store yet")
    }

    public func heartbeat(runID: String) throws(SlipwayError) -> Bool {
        throw SlipwayError.failure("heartbeat is not on the shared PostgreSQL store yet")
    }

    public func requestCancel(runID: String) throws(SlipwayError) -> RunRecord {
        throw SlipwayError.failure("requestCancel is not on the shared PostgreSQL store yet")
    }

    @discardableResult public func reapInterruptedRuns() throws(SlipwayError) -> [RunRecord] {
        throw SlipwayError.failure("reapInterruptedRuns is not on the shared PostgreSQL store yet")
    }

    public func runs(limit: Int) throws(SlipwayError) -> [RunRecord] {
        throw SlipwayError.failure("runs is not on the shared PostgreSQL store yet")
    }

    public func run(id: String) throws(SlipwayError) -> RunRecord {
        throw SlipwayError.failure("run is not on the shared PostgreSQL store yet")
    }

    public func runIfBegun(id: String) throws(SlipwayError) -> RunRecord? {
        throw SlipwayError.failure("runIfBegun is not on the shared PostgreSQL store yet")
    }

    public func lock(component: String, environment: String) throws(SlipwayError) -> DeployLock? {
        throw SlipwayError.failure("lock is not on the shared PostgreSQL store yet")
    }

    public func appendOutput(runID: String, firstSequence: Int, lines: [String], time: Date) throws(SlipwayError) {
        throw SlipwayError.failure("appendOutput is not on the shared PostgreSQL store yet")
    }

    public func lastOutputSequence(runID: String) throws(SlipwayError) -> Int {
        throw SlipwayError.failure("lastOutputSequence is not on the shared PostgreSQL store yet")
    }

    public func output(runID: String, after sequence: Int) throws(SlipwayError) -> [OutputLine] {
        throw SlipwayError.failure("output is not on the shared PostgreSQL store yet")
    }

    public func recover(_ records: AgentRecords, reason: String) throws(SlipwayError) -> [Event] {
        throw SlipwayError.failure("recover is not on the shared PostgreSQL store yet")
    }

    @discardableResult public func record( _ request: RunRequest, id: String, origin: String, noWait: Bool, approvalRule: ApprovalRule?, now: Date ) throws(SlipwayError) -> RequestRecord {
        throw SlipwayError.failure("record is not on the shared PostgreSQL store yet")
    }

    public func request(id: String) throws(SlipwayError) -> RequestRecord {
        throw SlipwayError.failure("request is not on the shared PostgreSQL store yet")
    }

    public func claim(requestID id: String, by executor: ProcessIdentity) throws(SlipwayError) -> RequestRecord? {
        throw SlipwayError.failure("claim is not on the shared PostgreSQL store yet")
    }

    public func orphanedRequests() throws(SlipwayError) -> [RequestRecord] {
        throw SlipwayError.failure("orphanedRequests is not on the shared PostgreSQL store yet")
    }

    public func saveCheckpoint(_ checkpoint: RunCheckpoint, requestID id: String) throws(SlipwayError) {
        throw SlipwayError.failure("saveCheckpoint is not on the shared PostgreSQL store yet")
    }

    public func finish(requestID id: String, refusal: SlipwayError?) throws(SlipwayError) {
        throw SlipwayError.failure("finish is not on the shared PostgreSQL store yet")
    }

    public func cancelBeforeRun(requestID id: String) throws(SlipwayError) -> Bool {
        throw SlipwayError.failure("cancelBeforeRun is not on the shared PostgreSQL store yet")
    }

    public func adopt(runID: String, by executor: ProcessIdentity, stage: String?) throws(SlipwayError) {
        throw SlipwayError.failure("adopt is not on the shared PostgreSQL store yet")
    }

    public func succeededStages(runID: String) throws(SlipwayError) -> Set<String> {
        throw SlipwayError.failure("succeededStages is not on the shared PostgreSQL store yet")
    }

    public func startOfStage(_ stage: String, runID: String) throws(SlipwayError) -> Date? {
        throw SlipwayError.failure("startOfStage is not on the shared PostgreSQL store yet")
    }

    public func requestsAwaitingApproval() throws(SlipwayError) -> [RequestRecord] {
        throw SlipwayError.failure("requestsAwaitingApproval is not on the shared PostgreSQL store yet")
    }

    public func expireOverdueApprovals(now: Date) throws(SlipwayError) {
        throw SlipwayError.failure("expireOverdueApprovals is not on the shared PostgreSQL store yet")
    }

    @discardableResult public func approve(requestID id: String, now: Date) throws(SlipwayError) -> RequestRecord {
        throw SlipwayError.failure("approve is not on the shared PostgreSQL store yet")
    }

    @discardableResult public func deny(requestID id: String, reason: String, now: Date) throws(SlipwayError) -> RequestRecord {
        throw SlipwayError.failure("deny is not on the shared PostgreSQL store yet")
    }

    public func lastSuccessfulPipelineCommit(environment: String) throws(SlipwayError) -> (runID: String, commit: String)? {
        throw SlipwayError.failure("lastSuccessfulPipelineCommit is not on the shared PostgreSQL store yet")
    }

    public func gatesPassed(component: String, version: String) throws(SlipwayError) -> Bool? {
        throw SlipwayError.failure("gatesPassed is not on the shared PostgreSQL store yet")
    }

    public func gateChecks(component: String, version: String) throws(SlipwayError) -> [GateCheckRecord]? {
        throw SlipwayError.failure("gateChecks is not on the shared PostgreSQL store yet")
    }
}
