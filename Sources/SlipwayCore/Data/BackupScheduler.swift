import Foundation

/// The agent's backup schedule: a pass every `pause` seconds plans what is due
/// (`BackupSchedulePlan`) and does it, one duty at a time, saying each in one line. How it
/// reads the databases and does the duties is given, so the loop runs in virtual time in tests.
public final class BackupScheduler: @unchecked Sendable {
    public typealias Read = @Sendable (Date) throws(SlipwayError) -> [BackupSchedulePlan.Database]
    public typealias Perform = @Sendable (BackupDuty) async throws(SlipwayError) -> String

    let read: Read
    let perform: Perform
    let output: @Sendable (String) -> Void
    /// Duties that failed with no record of their own, and when; only the watch's task touches it.
    private var failed: [BackupDuty: Date] = [:]

    public init(read: @escaping Read, perform: @escaping Perform, output: @escaping @Sendable (String) -> Void) {
        self.read = read
        self.perform = perform
        self.output = output
    }

    /// The schedule of the workspace at `root`, its configuration read again on each pass so an
    /// edited `backup_schedule` applies without restarting the agent.
    public convenience init(
        root: URL, store: EventStore, environment: [String: String] = ProcessInfo.processInfo.environment,
        output: @escaping @Sendable (String) -> Void = { print($0) }
    ) {
        @Sendable func engine() throws(SlipwayError) -> Engine {
            let workspace = try Workspace.load(at: root)
            let passwords = workspace.config.databases.values.compactMap { $0.urlEnv.flatMap { environment[$0] }.flatMap(DatabaseURL.password(in:)) }
            let masker = SecretMasker(
                environment: environment, names: workspace.config.secretNames + workspace.components.flatMap(\.settings.secrets), also: passwords)
            return Engine(
                workspace: workspace, store: store, git: nil, masker: masker, output: { output(masker.mask($0)) }, origin: "agent",
                environment: environment)
        }
        self.init(
            read: { now throws(SlipwayError) in try engine().scheduledDatabases(now: now).map(\.database) },
            perform: { duty throws(SlipwayError) in
                let engine = try engine()
                let target = try engine.databaseBackupTarget(
                    of: try engine.workspace.component(named: duty.component), environment: duty.environment, connecting: duty.action == .baseBackup)
                return engine.masker.mask(try await engine.perform(duty, on: target))
            },
            output: output)
    }

    /// A pass every `pause` seconds of `clock` while `running` says so.
    public func watch(clock: any EngineClock, pause: Double = 60, while running: @escaping @Sendable () -> Bool) async {
        while running() {
            await pass(now: clock.now())
            do {
                try await clock.sleep(seconds: pause)
            } catch {
                return
            }
        }
    }

    /// Does what is due at `now`.
    public func pass(now: Date) async {
        let databases: [BackupSchedulePlan.Database]
        do {
            databases = try read(now).map { database in
                var database = database
                for (duty, time) in failed where duty.component == database.component && duty.environment == database.environment {
                    database.failed[duty.action] = time
                }
                return database
            }
        } catch {
            output("backup schedule: \(error.message)")
            return
        }
        var unbacked: Set<String> = []
        for duty in BackupSchedulePlan(databases, now: now).duties {
            let key = duty.component + "/" + duty.environment
            // With no base backup made, a drill has nothing to restore.
            if duty.action == .drill && unbacked.contains(key) { continue }
            do {
                output(try await perform(duty))
                failed[duty] = nil
            } catch {
                failed[duty] = now
                let database = databases.first { $0.component == duty.component && $0.environment == duty.environment }
                if duty.action == .baseBackup && database?.newestBase == nil { unbacked.insert(key) }
                output("scheduled \(duty) failed: \(error.message)")
            }
        }
    }
}
