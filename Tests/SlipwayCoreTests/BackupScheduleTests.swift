import Foundation
import SlipwayCore
import Synchronization
import Testing

/// `backup_schedule` and `drill_schedule`: their accepted forms, the planner that says what is
/// due, and the agent's watch loop over a virtual day.
@Suite struct BackupScheduleTests {
    static func environment(_ lines: String) throws -> EnvironmentSettings {
        let config = try WorkspaceConfig.parse("environments:\n  production:\n" + lines, file: "slipway.yml")
        return try config.environment(named: "production")
    }

    @Test(arguments: [
        ("hourly", 3_600.0), ("daily", 86_400), ("weekly", 604_800), ("6h", 21_600), ("30m", 1_800), ("5m", 300), ("2d", 172_800),
        ("1w", 604_800),
    ])
    func acceptsNamedIntervalsAndDurations(text: String, seconds: Double) throws {
        let settings = try Self.environment("    backup_schedule: \(text)\n")
        #expect(settings.backupSchedule == BackupSchedule(seconds: seconds, text: text))
        #expect(settings.drillSchedule == .weekly, "drills default to weekly where backups are scheduled")
    }

    @Test func drillsCanBeScheduledOtherwiseOrTurnedOff() throws {
        #expect(try Self.environment("    backup_schedule: daily\n    drill_schedule: daily\n").drillSchedule == .daily)
        #expect(try Self.environment("    backup_schedule: daily\n    drill_schedule: off\n").drillSchedule == nil)
        #expect(try Self.environment("    backupSchedule: 12h\n    drillSchedule: 3d\n").drillSchedule?.seconds == 259_200)
        #expect(try Self.environment("    backup_schedule: off\n").backupSchedule == nil)
        #expect(try Self.environment("    workers_env: production\n").backupSchedule == nil)
    }

    @Test(arguments: [
        ("    backup_schedule: nightly\n", "slipway.yml:3:22: backup_schedule must be hourly, daily, weekly, off or a duration of at least 5m"),
        ("    backup_schedule: 1m\n", "slipway.yml:3:22: backup_schedule must be hourly"),
        ("    backup_schedule: 0h\n", "slipway.yml:3:22: backup_schedule must be hourly"),
        ("    backup_schedule: 6 hours\n", "slipway.yml:3:22: backup_schedule must be hourly"),
        ("    backup_schedule: daily\n    drill_schedule: monthly\n", "slipway.yml:4:21: drill_schedule must be hourly"),
        ("    drill_schedule: weekly\n", "slipway.yml:3:21: drill_schedule needs a backup_schedule in environment 'production'"),
    ])
    func badSchedulesNameFileLineAndColumn(lines: String, expected: String) throws {
        let error = #expect(throws: SlipwayError.self) { try Self.environment(lines) }
        #expect(error?.message.hasPrefix(expected) == true, "\(error?.message ?? "no error")")
        #expect(error?.exitCode == 2)
    }

    // MARK: Planner

    static let now = Date(timeIntervalSince1970: 1_800_000_000)

    static func database(
        newestBase: Double? = nil, lastDrill: Double? = nil, prunable: Bool = false, drills: BackupSchedule? = .weekly,
        failed: [BackupDuty.Action: Double] = [:]
    ) -> BackupSchedulePlan.Database {
        BackupSchedulePlan.Database(
            component: "accounts", environment: "production", backups: .daily, drills: drills,
            newestBase: newestBase.map { now.addingTimeInterval(-$0) }, lastDrill: lastDrill.map { now.addingTimeInterval(-$0) },
            prunable: prunable, failed: failed.mapValues { now.addingTimeInterval(-$0) })
    }

    static func actions(_ database: BackupSchedulePlan.Database) -> [BackupDuty.Action] {
        BackupSchedulePlan([database], now: now).duties.map(\.action)
    }

    @Test func aBaseBackupIsDueOnceTheNewestIsAsOldAsTheInterval() {
        #expect(Self.actions(Self.database(newestBase: 3_600, lastDrill: 60)) == [])
        #expect(Self.actions(Self.database(newestBase: 86_400, lastDrill: 60)) == [.baseBackup])
        #expect(Self.actions(Self.database(newestBase: 5 * 86_400, lastDrill: 60)) == [.baseBackup], "a missed day is caught up once")
    }

    @Test func neverBackedUpTakesABaseBackupAndDrillsItInTheSamePass() {
        #expect(Self.actions(Self.database()) == [.baseBackup, .drill])
        #expect(Self.actions(Self.database(drills: nil)) == [.baseBackup], "drills off")
    }

    @Test func aDrillIsDueAWeekAfterTheLastPassedOrFailed() {
        #expect(Self.actions(Self.database(newestBase: 60, lastDrill: 6 * 86_400)) == [])
        #expect(Self.actions(Self.database(newestBase: 60, lastDrill: 7 * 86_400)) == [.drill])
        #expect(Self.actions(Self.database(newestBase: 60)) == [.drill], "never drilled")
    }

    @Test func aPruneIsDueWhenTheRetentionRemovesSomething() {
        #expect(Self.actions(Self.database(newestBase: 60, lastDrill: 60, prunable: true)) == [.prune])
        #expect(Self.actions(Self.database(newestBase: 86_400, lastDrill: 8 * 86_400, prunable: true)) == [.baseBackup, .prune, .drill])
    }

    @Test func aFailedBaseBackupWaitsBeforeItIsTriedAgain() {
        #expect(Self.actions(Self.database(lastDrill: 60, failed: [.baseBackup: 60])) == [])
        #expect(Self.actions(Self.database(lastDrill: 60, failed: [.baseBackup: BackupSchedulePlan.retryPause])) == [.baseBackup])
        // No base backup yet and the last attempt failed: nothing to drill either.
        #expect(Self.actions(Self.database(failed: [.baseBackup: 60])) == [])
    }

    @Test func eachDatabaseIsPlannedOnItsOwn() {
        var billing = Self.database(newestBase: 60, lastDrill: 60, prunable: true)
        billing.component = "billing"
        let plan = BackupSchedulePlan([Self.database(newestBase: 86_400, lastDrill: 60), billing], now: Self.now)
        #expect(plan.duties.map(\.description) == ["base backup of accounts in production", "prune of billing in production"])
    }

    // MARK: Watch

    /// What a stand-in agent did: the duties at their virtual moments, against folders kept in memory.
    final class Record: Sendable {
        struct State {
            var newestBase: Date?
            var lastDrill: Date?
            var duties: [(BackupDuty.Action, Date)] = []
            var failNextBackup = false
        }

        let state = Mutex(State())
        /// What the scheduler said.
        let lines = Mutex<[String]>([])

        var said: [String] { lines.withLock { $0 } }
    }

    static func scheduler(_ record: Record, clock: VirtualClock) -> BackupScheduler {
        BackupScheduler(
            read: { _ throws(SlipwayError) in
                record.state.withLock { state in
                    [BackupSchedulePlan.Database(
                        component: "accounts", environment: "production", backups: BackupSchedule(seconds: 6 * 3_600, text: "6h"),
                        drills: .daily, newestBase: state.newestBase, lastDrill: state.lastDrill, prunable: false)]
                }
            },
            perform: { duty throws(SlipwayError) in
                let now = clock.now()
                let failing = record.state.withLock { state in
                    state.duties.append((duty.action, now))
                    if duty.action == .baseBackup && state.failNextBackup {
                        state.failNextBackup = false
                        return true
                    }
                    if duty.action == .baseBackup { state.newestBase = now }
                    if duty.action == .drill { state.lastDrill = now }
                    return false
                }
                if failing { throw .failure("pg_basebackup: could not connect") }
                return "did \(duty)"
            },
            output: { line in record.lines.withLock { $0.append(line) } })
    }

    @Test(.timeLimit(.minutes(1)))
    func aDayOfScheduleRunsInVirtualTime() async {
        let clock = VirtualClock()
        let start = clock.now()
        let record = Record()
        let scheduler = Self.scheduler(record, clock: clock)
        await scheduler.watch(clock: clock, pause: 60) { clock.now() < start.addingTimeInterval(86_400) }

        let duties = record.state.withLock { $0.duties }
        let backups = duties.filter { $0.0 == .baseBackup }.map { $0.1.timeIntervalSince(start) }
        let drills = duties.filter { $0.0 == .drill }.map { $0.1.timeIntervalSince(start) }
        #expect(backups == [0, 21_600, 43_200, 64_800], "every 6h from the first pass")
        #expect(drills == [0], "the daily drill once in the day")
        #expect(record.said.first == "did base backup of accounts in production")
        #expect(record.said.count == 5)
    }

    @Test(.timeLimit(.minutes(1)))
    func aFailedBackupIsSaidAndRetriedAfterThePause() async {
        let clock = VirtualClock()
        let start = clock.now()
        let record = Record()
        record.state.withLock { $0.failNextBackup = true }
        let scheduler = Self.scheduler(record, clock: clock)
        await scheduler.watch(clock: clock, pause: 60) { clock.now() < start.addingTimeInterval(3_600) }

        let backups = record.state.withLock { $0.duties }.filter { $0.0 == .baseBackup }.map { $0.1.timeIntervalSince(start) }
        #expect(backups == [0, BackupSchedulePlan.retryPause], "not on every pass: after the retry pause")
        let said = record.said
        #expect(said.first == "scheduled base backup of accounts in production failed: pg_basebackup: could not connect", "\(said)")
        #expect(said.contains("did restore drill of accounts in production"), "drilled once a base backup exists")
    }
}
