import Foundation

/// Which component databases are due for a base backup, a prune and a restore drill at `now`,
/// from what their backup folders and the store say was done last. Pure, so a day of schedule
/// is checked in virtual time.
public struct BackupSchedulePlan: Sendable, Equatable {
    /// One scheduled component database as the last pass found it.
    public struct Database: Sendable, Equatable {
        public var component: String
        public var environment: String
        public var backups: BackupSchedule
        /// Nil when drills are off.
        public var drills: BackupSchedule?
        public var newestBase: Date?
        /// The last drill's start, passed or failed (a failed drill waits its interval too:
        /// it is recorded, and RTO shows it breached meanwhile).
        public var lastDrill: Date?
        /// The retention removes something now (a non-empty `BackupPrunePlan`).
        public var prunable: Bool
        /// When each action last failed without a record of its own (a base backup that did
        /// not complete), so it is retried after `retryPause`, not on every pass.
        public var failed: [BackupDuty.Action: Date]

        public init(
            component: String, environment: String, backups: BackupSchedule, drills: BackupSchedule?,
            newestBase: Date?, lastDrill: Date?, prunable: Bool, failed: [BackupDuty.Action: Date] = [:]
        ) {
            self.component = component
            self.environment = environment
            self.backups = backups
            self.drills = drills
            self.newestBase = newestBase
            self.lastDrill = lastDrill
            self.prunable = prunable
            self.failed = failed
        }
    }

    /// In the order to do them: per database its base backup, then the prune, then the drill
    /// (which restores the newest base backup, so one made in the same pass counts).
    public var duties: [BackupDuty]

    /// A failed action is tried again after this long, or its interval when that is shorter.
    public static let retryPause: Double = 900

    public init(_ databases: [Database], now: Date) {
        var duties: [BackupDuty] = []
        for database in databases {
            func resting(_ action: BackupDuty.Action, every interval: Double) -> Bool {
                database.failed[action].map { now.timeIntervalSince($0) < min(Self.retryPause, interval) } ?? false
            }
            func duty(_ action: BackupDuty.Action) -> BackupDuty {
                BackupDuty(component: database.component, environment: database.environment, action: action)
            }
            let every = database.backups.seconds
            let backupDue = database.newestBase.map { now.timeIntervalSince($0) >= every } ?? true
            let backingUp = backupDue && !resting(.baseBackup, every: every)
            if backingUp { duties.append(duty(.baseBackup)) }
            if database.prunable && !resting(.prune, every: every) { duties.append(duty(.prune)) }
            if let drills = database.drills, database.newestBase != nil || backingUp,
               database.lastDrill.map({ now.timeIntervalSince($0) >= drills.seconds }) ?? true,
               !resting(.drill, every: drills.seconds) {
                duties.append(duty(.drill))
            }
        }
        self.duties = duties
    }
}
