import Foundation

#if canImport(Glibc)
import Glibc
#endif

extension Engine {
    /// A restore drill: the newest base backup and all the archived WAL restored into a
    /// throwaway cluster under the target's `restores/` (the live server is not contacted),
    /// checked (it replayed the whole archive, the database answers, its user tables count or
    /// the component's `verify_query` runs), then stopped and removed. The time from the start
    /// until checked is the restore time the RTO is measured against. Recorded as
    /// `backup.drilled` whether it passed or failed; a failed drill is returned, not thrown.
    public func drillRestore(_ target: DatabaseBackupTarget, timeout: Duration = .seconds(4 * 3600)) async throws(SlipwayError) -> RestoreDrill {
        if case .neon = target.provider {
            throw SlipwayError(.databaseSetup(.notWithNeon(
                command: "backup verify --restore", of: target.description,
                why: "restore it to a moment into a new branch with slipway restore, and check that branch")))
        }
        let clock = ContinuousClock()
        let start = clock.now
        let began = Date()
        var drill = RestoreDrill(
            component: target.component.name, environment: target.environment, time: began, ok: false, backup: nil,
            recoveredTo: nil, seconds: 0, summary: "")
        var cluster: (data: URL, programs: PostgresPrograms, user: ServerUser?)?
        var lock: DrillLock?
        for line in try await removeLeftoverDrills(target) { output(line) }
        do throws(SlipwayError) {
            let backups = try target.folder.list()
            let segments = try target.folder.segments()
            guard let window = RecoveryWindow(backups: backups, segments: segments),
                  let backup = backups.filter({ $0.kind == .base }).max(by: { $0.time < $1.time })
            else {
                throw SlipwayError(.backup(.noBaseBackup(of: target.description, forRestore: true)))
            }
            drill.backup = backup.id
            let programs = try await PostgresPrograms.locate(major: backup.serverVersion)
            let data = target.folder.freshRestoreFolder(now: began, drill: true)
            guard let taken = try DrillLock.take(for: data.deletingLastPathComponent()) else {
                throw SlipwayError(.backup(.drillLocked(folder: data.deletingLastPathComponent().path)))
            }
            lock = taken
            cluster = (data, programs, try restoringUser(target))
            let port = try Self.freeLoopbackPort()
            _ = try await recover(
                target, from: backup, to: nil, into: data, port: port, programs: programs, user: cluster?.user,
                note: "slipway restore drill of \(target.description) from \(backup.id)", timeout: timeout)
            let server = try await DatabaseServer.connect(
                Self.restoredURL(target, database: backup.database, port: port), name: target.databaseName, environment: target.environment)
            do throws(SlipwayError) {
                try await Self.checkReplayedArchive(on: server, after: backup, segments: segments)
                drill.summary = try await Self.sanityCheck(on: server, verifyQuery: target.verifyQuery)
                await server.close()
                crash(at: "drill-restored")
            } catch {
                await server.close()
                throw error
            }
            drill.ok = true
            drill.recoveredTo = window.latest
        } catch {
            drill.summary = error.message
        }
        drill.seconds = (clock.now - start) / .seconds(1)
        if let cluster {
            try? await stopServer(data: cluster.data, programs: cluster.programs, user: cluster.user)
            try? FileManager.default.removeItem(at: cluster.data.deletingLastPathComponent())
        }
        lock?.release()
        try store.append(drill.event)
        return drill
    }

    /// Stops and removes the throwaway clusters of drills that died before cleaning up (killed
    /// with kill -9: nobody holds their lock), never one whose drill still runs; a line for each.
    func removeLeftoverDrills(_ target: DatabaseBackupTarget) async throws(SlipwayError) -> [String] {
        let restores = target.folder.restores
        let names = ((try? FileManager.default.contentsOfDirectory(atPath: restores.path)) ?? []).filter { $0.hasPrefix("drill-") }
        var lines: [String] = []
        for name in names.sorted() {
            let cluster = restores.appendingPathComponent(name)
            guard let lock = try DrillLock.take(for: cluster) else { continue }
            // Its drill may have finished and removed it since the folder was listed.
            guard FileManager.default.fileExists(atPath: cluster.path) else {
                lock.release()
                continue
            }
            let stopped = await stopLeftover(data: cluster.appendingPathComponent("data"), target: target)
            do {
                try FileManager.default.removeItem(at: cluster)
            } catch {
                lock.release()
                throw SlipwayError(.fileAccess(.remove, path: cluster.path, what: "the leftover drill cluster", problem: error.localizedDescription))
            }
            lock.release()
            lines.append("removed the leftover restore drill cluster restores/\(name) of \(target.description) (its drill was killed"
                + (stopped ? "; its server stopped)" : ")"))
        }
        return lines
    }

    /// Stops the server a leftover drill cluster may still run: `pg_ctl stop` on its data
    /// folder, else a kill of the postmaster its `postmaster.pid` names. Whether one ran.
    private func stopLeftover(data: URL, target: DatabaseBackupTarget) async -> Bool {
        let pidFile = data.appendingPathComponent("postmaster.pid")
        guard let text = try? String(contentsOf: pidFile, encoding: .utf8) else { return false }
        let version = (try? String(contentsOf: data.appendingPathComponent("PG_VERSION"), encoding: .utf8))?
            .trimmingCharacters(in: .whitespacesAndNewlines)
        if let major = version.flatMap({ Int($0) }), let programs = try? await PostgresPrograms.locate(major: major) {
            try? await stopServer(data: data, programs: programs, user: try? restoringUser(target))
        }
        guard FileManager.default.fileExists(atPath: pidFile.path) else { return true }
        // pg_ctl could not stop it: the postmaster itself, if that process is still a postgres one (not a reused pid).
        guard let pid = text.split(separator: "\n").first.flatMap({ Int32($0.trimmingCharacters(in: .whitespaces)) }), pid > 0,
              let command = try? String(contentsOfFile: "/proc/\(pid)/cmdline", encoding: .utf8), command.contains("postgres")
        else { return false }
        kill(pid, SIGKILL)
        return true
    }

    /// The target's newest drill, if it was ever drilled.
    func lastDrill(of target: DatabaseBackupTarget) throws(SlipwayError) -> RestoreDrill? {
        try store.events(kind: .backupDrilled, component: target.component.name, environment: target.environment).last.flatMap(RestoreDrill.init)
    }

    /// How the drill reaches the restored cluster: the target's user (`postgres` when its
    /// connection string is not set: a drill needs no live server), the backup's database.
    private static func restoredURL(_ target: DatabaseBackupTarget, database: String, port: Int) throws(SlipwayError) -> DatabaseURL {
        var url: DatabaseURL
        if let configured = target.url {
            url = configured
        } else {
            url = try DatabaseURL("postgres://postgres@127.0.0.1/postgres", name: "the restored server")
        }
        url.endpoint = .tcp(host: "127.0.0.1", port: port)
        url.tls = .disable
        url.database = database
        return url
    }

    /// Recovery with no target stops where the archive stops being readable: at a missing or
    /// damaged segment it promotes early, silently short of the newest WAL. A drill fails
    /// there, since a restore to a later moment would lose what follows.
    private static func checkReplayedArchive(
        on server: DatabaseServer, after backup: DatabaseBackup, segments: [WALSegment]
    ) async throws(SlipwayError) {
        let start = backup.startWAL.flatMap { WALSegment(name: $0, archived: backup.time, bytes: 0).position }
        guard let newest = segments.filter(\.isSegment).max(by: { ($0.position ?? "") < ($1.position ?? "") }),
              let newestPosition = newest.position, start.map({ newestPosition >= $0 }) ?? true
        else { return }
        guard let reached = try await server.text("SELECT pg_walfile_name(pg_current_wal_lsn()) || ' ' || pg_current_wal_lsn()::text"),
              let position = WALSegment(name: String(reached.prefix(24)), archived: backup.time, bytes: 0).position
        else {
            throw SlipwayError(.backup(.replayEndUnknown))
        }
        guard position >= newestPosition else {
            throw .failure(
                "replay stopped at \(reached.split(separator: " ").last ?? "?") (WAL segment \(reached.prefix(24))), short of the archive's newest segment "
                    + "\(newest.name): the archive is missing or holds a damaged segment there, so later moments are not recoverable")
        }
    }

    /// The restored database answers: the component's `verify_query` runs, or else every user
    /// table is counted (which reads each of them through).
    private static func sanityCheck(on server: DatabaseServer, verifyQuery: String?) async throws(SlipwayError) -> String {
        if let verifyQuery {
            let value: String?
            do throws(SlipwayError) {
                value = try await server.text(verifyQuery)
            } catch {
                throw SlipwayError(.backup(.verifyQueryFailed(problem: error.message)))
            }
            return "verify_query returned \(value.map { "'\($0)'" } ?? "no value")"
        }
        let counted = try await server.text("""
            SELECT count(*) || ' ' || coalesce(sum((xpath('/row/c/text()', query_to_xml(
                format('SELECT count(*) AS c FROM %I.%I', n.nspname, c.relname), false, true, '')))[1]::text::bigint), 0)
            FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
            WHERE c.relkind = 'r' AND n.nspname <> 'information_schema' AND n.nspname NOT LIKE 'pg\\_%'
            """) ?? ""
        let parts = counted.split(separator: " ")
        guard parts.count == 2 else { throw SlipwayError(.backup(.tablesNotCounted(got: counted))) }
        return "\(parts[0]) user table\(parts[0] == "1" ? "" : "s"), \(parts[1]) row\(parts[1] == "1" ? "" : "s")"
    }
}
