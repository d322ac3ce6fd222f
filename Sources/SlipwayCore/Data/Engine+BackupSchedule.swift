import Foundation

extension Engine {
    /// Every component database in an environment with a `backup_schedule`, as the schedule
    /// planner sees it at `now`.
    public func scheduledDatabases(now: Date) throws(SlipwayError) -> [(target: DatabaseBackupTarget, database: BackupSchedulePlan.Database)] {
        var scheduled: [(target: DatabaseBackupTarget, database: BackupSchedulePlan.Database)] = []
        // Neon keeps its own history: nothing of its is scheduled.
        for target in databaseBackupTargets() where target.provider == .postgresql {
            guard let settings = workspace.config.environments.first(where: { $0.name == target.environment }),
                  let backups = settings.backupSchedule
            else { continue }
            let listed = try target.folder.list()
            let prune = BackupPrunePlan(backups: listed, segments: try target.folder.segments(), retention: target.retention, now: now)
            scheduled.append((target, BackupSchedulePlan.Database(
                component: target.component.name, environment: target.environment, backups: backups,
                drills: settings.drillSchedule, newestBase: listed.filter { $0.kind == .base }.map(\.time).max(),
                lastDrill: try lastDrill(of: target)?.time, prunable: !prune.backups.isEmpty || !prune.segments.isEmpty)))
        }
        return scheduled
    }

    /// Does `duty` to `target`; the one line that says what was done. A drill that fails is
    /// recorded as such and said, not thrown.
    public func perform(_ duty: BackupDuty, on target: DatabaseBackupTarget) async throws(SlipwayError) -> String {
        switch duty.action {
        case .baseBackup:
            let backup = try await createDatabaseBackup(target, logical: false)
            return "scheduled base backup \(backup.id) of \(target.description), \(backup.bytes) bytes"
        case .prune:
            let plan = try await pruneDatabaseBackups(target)
            return "scheduled prune of \(target.description): \(plan.backups.count) backups, \(plan.segments.count) WAL files removed"
        case .drill:
            let drill = try await drillRestore(target)
            return "scheduled restore drill of \(target.description) "
                + (drill.ok ? "passed in \(DurationText.format(drill.seconds)): \(drill.summary)" : "failed: \(drill.summary)")
        }
    }
}
