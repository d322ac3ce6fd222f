/// The kinds of event this version of Slipway writes and understands. Events of other kinds
/// (written by a newer Slipway) are kept and shown raw.
public enum EventKind: String, Sendable, CaseIterable, Codable {
    /// A changing action asked for; the agent executes it (see `RunRequest`).
    case runRequested = "run.requested"
    /// A new agent took over a run whose agent died, from its checkpoint.
    case runResumed = "run.resumed"
    case runStarted = "run.started"
    case stageStarted = "stage.started"
    case stageFinished = "stage.finished"
    case runFinished = "run.finished"
    case cancelRequested = "run.cancel_requested"
    case deploySucceeded = "deploy.succeeded"
    case releaseTagged = "release.tagged"
    case healthChecked = "health.checked"
    case deployRefused = "deploy.refused"
    case slotStarted = "slot.started"
    case slotStopped = "slot.stopped"
    case slotCrashed = "slot.crashed"
    case trafficSwitched = "traffic.switched"
    /// A host's part of a deploy to several hosts ended: `origin` names the host, `stage` the
    /// step (prepare, switch, abort, check), `outcome` done or failed, `reason` how.
    case hostStepRequested = "host.step_requested"
    case hostStepFinished = "host.step_finished"
    /// A healthy release waits in the idle colour for a switch by hand (`auto_promote: false`).
    case releaseReady = "release.ready"
    case jobStarted = "job.started"
    case jobFinished = "job.finished"
    /// A canary moved a step, paused, resumed, was promoted or rolled back; `reason` says which.
    case canaryChanged = "canary.changed"
    /// An alert was raised: `outcome` is its severity, `reason` its message.
    case alertRaised = "alert.raised"
    /// `slipway migrate apply` ran: `outcome` succeeded or failed, `version` the schema's version
    /// after it, `migrations` the files applied and `allowances` the lint exceptions they used.
    case migrationApplied = "migration.applied"
    /// `slipway backup create --store` copied the store, or `backup create COMPONENT` backed up
    /// a component's database (with its component and environment): `tag` is the backup's id.
    case backupCreated = "backup.created"
    /// `slipway restore` restored a component's database into a new cluster: `tag` is the base
    /// backup, `reason` the moment and where the new cluster listens.
    case databaseRestored = "database.restored"
    /// `slipway backup verify COMPONENT --env ENV --restore` restored the newest base backup and
    /// the archive into a throwaway cluster and checked it: `outcome` ok or failed, `tag` the base
    /// backup, `seconds` the restore time (the RTO measured), `recovered_to` the moment it
    /// recovered to, `reason` what the check found or why it failed.
    case backupDrilled = "backup.drilled"
    /// `slipway backup restore --store` put a backup in the store's place: the first event after
    /// it, `tag` the backup's id and `reason` where the store it replaced was kept.
    case storeRestored = "store.restored"
    /// A person went past a check that refused a change: `stage` names the check, `outcome`
    /// what it refused, `reason` the person's reason (`--force --reason`, `--override-gates --reason`).
    case checkOverridden = "check.overridden"
    /// A change refused for the actor's role (`roles:`): `stage` names the action, `outcome` the
    /// role it needs, `reason` the refusal as the actor read it.
    case accessRefused = "access.refused"
    /// `slipway alerts silence`: alerts it matches are not delivered until `until`; `reason` says
    /// why, `tag` the silence's id, `stage` its severity or `any`.
    case alertSilenced = "alert.silenced"
    /// An approver approved a request awaiting approval (the two-person rule): `outcome` is how
    /// many of the approvals it needs it has (`1/1`), `stage` what was asked.
    case requestApproved = "request.approved"
    /// An approver denied a request awaiting approval: `reason` is theirs, `stage` what was asked.
    case requestDenied = "request.denied"
    /// A request awaiting approval outlived its `approval_timeout`: `reason` says so.
    case requestExpired = "request.expired"
    /// A request ended before its run began, refused when it was executed (its component gone,
    /// its config broken, a gate that refused): `reason` says why, `stage` what was asked. Its
    /// requester may be gone, so this is the only place the refusal shows.
    case requestRejected = "request.rejected"
    /// `slipway projection rebuild` began version `version` of projection `stage` in table `tag`.
    case projectionStarted = "projection.started"
    /// The rebuild of projection `stage` reported reaching `position` of `total` (throttled; the last
    /// one before the rebuild ends is always recorded): where a resumed rebuild continues.
    case projectionCheckpoint = "projection.checkpoint"
    /// The rebuild command of projection `stage` finished: version `version` is built in table `tag`.
    case projectionBuilt = "projection.built"
    /// Projection `stage`'s version `version` was compared with the live one: `outcome` agree or
    /// differ, `differences` what differs.
    case projectionCompared = "projection.compared"
    /// Version `version` of projection `stage` took the live one's place; `reason`, when the
    /// operator accepted differences, says why.
    case projectionSwitched = "projection.switched"
    /// A step of projection `stage`'s rebuild failed: `outcome` names the step (rebuild, compare,
    /// switch, restart), `reason` why. A rebuild that stopped resumes from its last checkpoint.
    case projectionFailed = "projection.failed"
}
