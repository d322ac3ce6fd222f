/// The payload of an event. One flat shape for every kind keeps the projection's fold and
/// its SQL fast path (which reads fields with `json_extract`) in step; absent fields are not written.
public struct EventDetails: Codable, Sendable, Equatable {
    public var runKind: RunKind?
    public var version: String?
    public var commit: String?
    public var color: String?
    public var stage: String?
    public var outcome: String?
    public var exitCode: Int?
    public var reason: String?
    public var forced: Bool?
    public var healthy: Bool?
    public var origin: String?
    public var pid: Int?
    public var tag: String?
    public var previousVersion: String?
    public var seconds: Double?
    /// For a pipeline job: the run that did its work (a test, deploy or health-check run).
    public var jobRun: String?
    /// For an alert: `fired`, `cleared`, `budget_crossed` or `deploy_blocked`, and its objective,
    /// so readers (the console's header) tell which alerts are firing without parsing the message.
    public var change: String?
    public var objective: String?
    /// For `run.requested`: what was asked, with its parameters.
    public var request: RunRequest?
    /// For `migration.applied`: the scripts applied, and each lint finding a `slipway:allow`
    /// comment excused in them (`file:line:col rule: reason`).
    public var migrations: [String]?
    public var allowances: [String]?
    /// For `release.tagged`: the highest migration version in the release's commit, for a
    /// component with `database: {migrations:}`; what a rollback to it compares with.
    public var schema: String?
    /// For `backup.drilled`: the moment the drill's restore recovered to (RFC 3339, milliseconds).
    public var recoveredTo: String?
    /// For `projection.checkpoint`: how far the rebuild is, of how much (the rebuild's own units).
    public var position: Int64?
    public var total: Int64?
    /// For `projection.compared`: what differs between the live and the rebuilt version.
    public var differences: [String]?
    /// For a quality-gates `job.finished`: each check made, for the production checklist.
    public var checks: [GateCheckRecord]?

    public init(
        runKind: RunKind? = nil, version: String? = nil, commit: String? = nil, color: String? = nil,
        stage: String? = nil, outcome: String? = nil, exitCode: Int? = nil, reason: String? = nil,
        forced: Bool? = nil, healthy: Bool? = nil, origin: String? = nil, pid: Int? = nil, tag: String? = nil,
        previousVersion: String? = nil, seconds: Double? = nil, jobRun: String? = nil, change: String? = nil,
        objective: String? = nil, request: RunRequest? = nil, migrations: [String]? = nil, allowances: [String]? = nil,
        schema: String? = nil, recoveredTo: String? = nil, checks: [GateCheckRecord]? = nil, position: Int64? = nil,
        total: Int64? = nil, differences: [String]? = nil
    ) {
        self.runKind = runKind
        self.version = version
        self.commit = commit
        self.color = color
        self.stage = stage
        self.outcome = outcome
        self.exitCode = exitCode
        self.reason = reason
        self.forced = forced
        self.healthy = healthy
        self.origin = origin
        self.pid = pid
        self.tag = tag
        self.previousVersion = previousVersion
        self.seconds = seconds
        self.jobRun = jobRun
        self.change = change
        self.objective = objective
        self.request = request
        self.migrations = migrations
        self.allowances = allowances
        self.schema = schema
        self.recoveredTo = recoveredTo
        self.checks = checks
        self.position = position
        self.total = total
        self.differences = differences
    }

    enum CodingKeys: String, CodingKey {
        case runKind = "run_kind", version, commit, color, stage, outcome, exitCode = "exit_code", reason, forced
        case healthy, origin, pid, tag, previousVersion = "previous_version", seconds
        case jobRun = "job_run"
        case change, objective, request, migrations, allowances, schema
        case recoveredTo = "recovered_to", checks
        case position, total, differences
    }
}

/// What a run does.
public enum RunKind: String, Codable, Sendable, CaseIterable {
    case deploy
    case rollback
    case test
    case healthCheck = "health-check"
    case switchTraffic = "switch"
    case pipeline
    /// Pending migrations applied to an environment's database, as a request an approver may have to approve.
    case migrate
}
