import Foundation

#if canImport(Glibc)
import Glibc
#endif

extension Engine {
    /// The component's database in `environment`, its backup folder and retention. The
    /// connection string is read when set; `connecting` commands refuse without it.
    public func databaseBackupTarget(
        of component: Component, environment name: String, connecting: Bool = true
    ) throws(SlipwayError) -> DatabaseBackupTarget {
        guard let settings = component.settings.database else {
            throw SlipwayError(.databaseSetup(.notDeclared(component: component.name, path: component.path)))
        }
        let database = try environmentDatabase(named: name)
        let url: DatabaseURL?
        if connecting && database.provider == .postgresql {
            url = try databaseURL(of: database, environment: name)
        } else {
            url = try? databaseURL(of: database, environment: name)
        }
        let base: URL
        if let configured = settings.backupFolder {
            base = configured.hasPrefix("/") ? URL(fileURLWithPath: configured) : workspace.root.appendingPathComponent(configured)
        } else {
            base = StoreBackupFolder(statePath: statePath).root.appendingPathComponent(component.name)
        }
        let root = base.appendingPathComponent(name).standardizedFileURL
        return DatabaseBackupTarget(
            component: component, environment: name, databaseName: database.name, provider: database.provider, url: url,
            folder: DatabaseBackupFolder(root: root), retention: settings.retention,
            objectives: settings.objectives, verifyQuery: settings.verifyQuery)
    }

    /// Every component database with a database in some environment, for `backup status`.
    public func databaseBackupTargets() -> [DatabaseBackupTarget] {
        workspace.components.filter { $0.settings.database != nil }.flatMap { component in
            workspace.config.environments.filter { $0.database != nil }.compactMap { environment in
                try? databaseBackupTarget(of: component, environment: environment.name, connecting: false)
            }
        }
    }

    /// The folder `.slipway` that Slipway may open for the server's user to pass through.
    var stateFolder: URL { statePath.deletingLastPathComponent() }

    private func connect(_ target: DatabaseBackupTarget) async throws(SlipwayError) -> DatabaseServer {
        guard let url = target.url else {
            throw SlipwayError(.databaseSetup(.connectionStringUnset(of: target.description)))
        }
        return try await DatabaseServer.connect(url, name: target.databaseName, environment: target.environment)
    }

    // MARK: Setup

    /// Turns on WAL archiving into the target's `wal/` folder with `ALTER SYSTEM`: `wal_level`
    /// at least replica, `archive_mode` on, an `archive_command` that copies each segment in
    /// (under a hidden name, renamed when complete), and an `archive_timeout` so a quiet server
    /// still archives within the RPO. The server must run on this machine, as the archive is a
    /// local folder its user writes.
    public func setUpArchiving(_ target: DatabaseBackupTarget) async throws(SlipwayError) -> ArchivingSetup {
        try authorize(.setUpBackups, environment: target.environment, component: target.component.name)
        if case .neon = target.provider {
            throw SlipwayError(.databaseSetup(.notWithNeon(
                command: "backup setup", of: target.description, why: "Neon keeps its history itself (backup status shows the window)")))
        }
        let server = try await connect(target)
        do {
            let setup = try await setUpArchiving(target, on: server)
            await server.close()
            return setup
        } catch {
            await server.close()
            throw error
        }
    }

    private func setUpArchiving(_ target: DatabaseBackupTarget, on server: DatabaseServer) async throws(SlipwayError) -> ArchivingSetup {
        guard try await server.setting("is_superuser") == "on" else {
            throw SlipwayError(.databaseSetup(.superuserNeeded(of: target.description)))
        }
        let dataFolder = try await server.setting("data_directory")
        guard let owner = ServerUser.owner(of: dataFolder) else {
            throw SlipwayError(.databaseSetup(.serverElsewhere(of: target.description, dataFolder: dataFolder)))
        }
        let wal = target.folder.wal
        guard !wal.path.contains("'") else { throw SlipwayError(.databaseSetup(.quoteInWALPath(wal.path))) }
        do {
            // Only the archive itself private: folders made on the way keep the usual mode, so the server's user passes through.
            try FileManager.default.createDirectory(at: target.folder.root, withIntermediateDirectories: true)
            if !FileManager.default.fileExists(atPath: wal.path) {
                try FileManager.default.createDirectory(at: wal, withIntermediateDirectories: false, attributes: [.posixPermissions: 0o700])
            }
        } catch {
            throw SlipwayError(.fileAccess(.create, path: wal.path, what: "the WAL archive folder", problem: error.localizedDescription))
        }
        if getuid() == 0 && owner.uid != 0 {
            guard chown(wal.path, owner.uid, owner.gid) == 0 else {
                throw SlipwayError(.cannotGiveAway(path: wal.path, user: owner.name, serverUser: true, problem: String(cString: strerror(errno))))
            }
        }
        let opened = try owner.reach(wal, openingWithin: stateFolder)
        guard owner.canWrite(wal.path) else {
            throw .failure(
                "the server runs as \(owner.name), which cannot write into \(wal.path): run backup setup as root or as \(owner.name), "
                    + "or set backup_folder to a folder it writes")
        }
        let folder = wal.path.replacingOccurrences(of: "%", with: "%%")
        // Idempotent: a segment archived before (the server crashed before noting it) is accepted when identical.
        let command = "if test -f '\(folder)/%f'; then cmp -s '%p' '\(folder)/%f'; "
            + "else cp '%p' '\(folder)/.%f.partial' && mv '\(folder)/.%f.partial' '\(folder)/%f'; fi"
        var changes: [ArchivingSetup.Change] = []
        let level = try await server.setting("wal_level")
        if level == "minimal" { changes.append(.init(setting: "wal_level", from: level, to: "replica")) }
        let mode = try await server.setting("archive_mode")
        if mode != "on" && mode != "always" { changes.append(.init(setting: "archive_mode", from: mode, to: "on")) }
        let current = try await server.setting("archive_command")
        if current != command { changes.append(.init(setting: "archive_command", from: current, to: command)) }
        let timeout = try await server.setting("archive_timeout")
        if timeout == "0" { changes.append(.init(setting: "archive_timeout", from: timeout, to: "15min")) }
        for change in changes { try await server.alterSystem(change.setting, to: change.to) }
        if !changes.isEmpty { _ = try await server.text("SELECT pg_reload_conf()::text") }
        let restartNeeded = changes.contains { $0.setting == "wal_level" || $0.setting == "archive_mode" }
        if !changes.isEmpty {
            try store.append(NewEvent(
                .backupCreated, component: target.component.name, environment: target.environment,
                details: EventDetails(
                    reason: "archiving set up into \(wal.path): " + changes.map(\.setting).joined(separator: ", ")
                        + (restartNeeded ? "; restart needed" : ""),
                    tag: "setup")))
        }
        return ArchivingSetup(changes: changes, walFolder: wal.path, serverUser: owner.name, opened: opened, restartNeeded: restartNeeded)
    }

    // MARK: Create

    /// A base backup of the whole cluster (`pg_basebackup`, plain format, with the WAL it needs
    /// fetched in, so it restores even without the archive), or with `logical` a `pg_dump -Fc`
    /// of the one database. Made under a hidden name and renamed when complete.
    public func createDatabaseBackup(_ target: DatabaseBackupTarget, logical: Bool) async throws(SlipwayError) -> DatabaseBackup {
        if case .neon = target.provider {
            throw SlipwayError(.databaseSetup(.notWithNeon(
                command: "a base backup or pg_dump", of: target.description, why: "its backups are branches (createNeonSnapshot)")))
        }
        let server = try await connect(target)
        do {
            let backup = try await createDatabaseBackup(target, logical: logical, on: server)
            await server.close()
            return backup
        } catch {
            await server.close()
            throw error
        }
    }

    private func createDatabaseBackup(
        _ target: DatabaseBackupTarget, logical: Bool, on server: DatabaseServer
    ) async throws(SlipwayError) -> DatabaseBackup {
        guard let url = target.url else { throw SlipwayError(.databaseSetup(.connectionStringUnset(of: target.description))) }
        let major = try await server.majorVersion()
        let programs = try await PostgresPrograms.locate(major: major)
        let started = try await server.now()
        let kind: DatabaseBackup.Kind = logical ? .logical : .base
        let folder = target.folder
        let id = folder.freshID(kind, now: started)
        let partial = try folder.begin(id)
        let password = url.password.map { ["PGPASSWORD": $0] } ?? [:]
        var label: (lsn: String, wal: String)?
        do {
            if logical {
                try await programs.require(
                    "pg_dump", ["--format=custom", "--no-password", "--file=\(partial.folder.appendingPathComponent(DatabaseBackupFolder.dumpName).path)", "--dbname=\(url.keywords)"],
                    environment: password)
            } else {
                let data = partial.folder.appendingPathComponent("data")
                try await programs.require(
                    "pg_basebackup",
                    ["--dbname=\(url.keywords)", "--pgdata=\(data.path)", "--format=plain", "--wal-method=fetch", "--checkpoint=fast", "--no-password"],
                    environment: password)
                label = Self.startOfBackup(in: data)
            }
        } catch {
            partial.abandon()
            throw error
        }
        // Rounded up: the backup restores to no moment before its end.
        let ended: Date
        do {
            ended = try await server.now()
        } catch {
            partial.abandon()
            throw error
        }
        let time = Date(timeIntervalSince1970: (ended.timeIntervalSince1970 * 1000).rounded(.up) / 1000)
        let backup = DatabaseBackup(
            id: id, kind: kind, component: target.component.name, environment: target.environment,
            database: url.database ?? url.user, started: started, time: time, startLSN: label?.lsn, startWAL: label?.wal,
            bytes: DatabaseBackupFolder.size(of: partial.folder), serverVersion: major, format: logical ? "custom" : "plain")
        crash(at: "backup-before-rename")
        do {
            try partial.complete(backup)
        } catch {
            partial.abandon()
            throw error
        }
        try store.append(NewEvent(
            .backupCreated, component: target.component.name, environment: target.environment,
            details: EventDetails(
                reason: "\(kind.rawValue) backup of \(target.description), \(backup.bytes) bytes", tag: id,
                seconds: ended.timeIntervalSince(started))))
        return backup
    }

    /// The test hook for an interrupted command: `SLIPWAY_CRASH_AT=<step>` kills this process
    /// at that step, as a kill -9 from outside would.
    func crash(at step: String) {
        CrashPoint(environment: environment).reach(step)
    }

    /// The start LSN and its segment from `backup_label`:
    /// `START WAL LOCATION: 0/2000028 (file 000000010000000000000002)`.
    static func startOfBackup(in data: URL) -> (lsn: String, wal: String)? {
        guard let text = try? String(contentsOf: data.appendingPathComponent("backup_label"), encoding: .utf8),
              let line = text.split(separator: "\n").first(where: { $0.hasPrefix("START WAL LOCATION: ") })
        else { return nil }
        let words = line.dropFirst("START WAL LOCATION: ".count).split(separator: " ")
        guard words.count >= 3 else { return nil }
        return (String(words[0]), String(words[2].trimmingCharacters(in: CharacterSet(charactersIn: ")"))))
    }

    // MARK: Prune and status

    /// Removes the backups and WAL the target's retention no longer keeps, and the partial
    /// folders of backups cut short (never one still being made) and the clusters of restore
    /// drills killed on the way (never one still running).
    public func pruneDatabaseBackups(_ target: DatabaseBackupTarget, now: Date = Date()) async throws(SlipwayError) -> BackupPrunePlan {
        if case .neon = target.provider {
            throw SlipwayError(.databaseSetup(.notWithNeon(
                command: "backup prune", of: target.description, why: "Neon drops history past the project's window itself")))
        }
        var plan = BackupPrunePlan(
            backups: try target.folder.list(), segments: try target.folder.segments(), retention: target.retention, now: now)
        try target.folder.remove(plan)
        plan.stalePartials = try target.folder.removeStalePartials()
        plan.leftoverDrills = try await removeLeftoverDrills(target)
        if !plan.backups.isEmpty || !plan.segments.isEmpty || !plan.stalePartials.isEmpty {
            try store.append(NewEvent(
                .backupCreated, component: target.component.name, environment: target.environment,
                details: EventDetails(
                    reason: "pruned \(plan.backups.count) backups, \(plan.segments.count) WAL files and \(plan.stalePartials.count) partial backups of \(target.description)",
                    tag: "prune")))
        }
        return plan
    }

    /// Each component database's newest recoverable point against its RPO and last drill
    /// against its RTO; only `target`'s when given.
    public func databaseBackupStatus(of target: DatabaseBackupTarget? = nil, now: Date = Date()) throws(SlipwayError) -> [DatabaseBackupStatus] {
        var statuses: [DatabaseBackupStatus] = []
        for target in target.map({ [$0] }) ?? databaseBackupTargets() {
            if case .neon = target.provider {
                statuses.append(DatabaseBackupStatus(neon: target))
                continue
            }
            statuses.append(DatabaseBackupStatus(
                target: target, backups: try target.folder.list(), segments: try target.folder.segments(),
                lastDrill: try lastDrill(of: target), now: now))
        }
        return statuses
    }
}
