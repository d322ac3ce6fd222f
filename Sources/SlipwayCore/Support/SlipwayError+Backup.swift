import Foundation

extension SlipwayError.Reason {
    /// Why a backup, a restore or a restore drill did not happen or failed. `of` names what is
    /// backed up (`accounts in staging`, the store); `data` is a restored cluster's data folder.
    public enum BackupProblem: Sendable, Equatable {
        /// Nothing to restore from yet; `forRestore` when a drill or restore asked for it.
        case noBaseBackup(of: String, forRestore: Bool)
        /// The moment is before the oldest base backup; the window is `earliest` to `latest`.
        case beforeOldest(Date, of: String, earliest: Date, latest: Date)
        /// The moment is after the newest archived WAL; the window is `earliest` to `latest`.
        case afterNewest(Date, of: String, earliest: Date, latest: Date)
        case doesNotVerify(backupID: String, problem: String)
        /// The verification found `count` problems (of the store when `store`, else of a backup).
        case problemsFound(subject: String, count: Int, store: Bool)
        case cannotRestore(backupID: String, to: String, problem: String)
        case cannotCopy(backupID: String, into: String, problem: String)
        /// A restore goes into a new data folder, and `data` has files.
        case dataFolderNotEmpty(String)
        /// Running as root with neither a WAL archive owner nor a postgres user.
        case noServerUser
        case serverDidNotStart(data: String, said: String)
        case serverStoppedInRecovery(data: String, said: String)
        /// Recovery outlasted `seconds`; the server was stopped, its log is at `log`.
        case stillRecovering(data: String, seconds: Int, log: String)
        case replayEndUnknown
        /// Another drill holds the lock of `folder`.
        case drillLocked(folder: String)
        case verifyQueryFailed(problem: String)
        /// The table count's answer, `got`, is not two numbers.
        case tablesNotCounted(got: String)
        /// A restore drill failed after `seconds` with `summary`.
        case drillFailed(of: String, seconds: Double, summary: String)
        /// PostgreSQL `major`'s programs are neither in `debianFolder` nor where pg_config says.
        case postgresProgramsMissing(major: Int, debianFolder: String)
        /// A PostgreSQL program (`pg_basebackup`, `pg_ctl`) exited non-zero; `lastLine` is its last line of output.
        case programFailed(String, status: Int32, lastLine: String)
        /// The configured Neon branch is not in the project; `known` are its branches' names.
        case neonBranchMissing(branch: String, project: String, known: [String])
        /// The moment is outside the Neon project's history window, `earliest` to `latest`.
        case outsideNeonHistory(Date, of: String, earliest: Date, latest: Date)
        /// `restore --in-place` without `--confirm` naming the database it replaces.
        case confirmationNeeded(database: String, given: String?)
        /// `restore --in-place` of a database Slipway does not own the server of.
        case inPlaceOnLocalServer(of: String)
        /// A Neon operation ended in `status` rather than finished.
        case neonOperationFailed(action: String, id: String, status: String)
        case neonOperationStillRunning(action: String, id: String, seconds: Int)
        /// No loopback port to start the restored server on (`bound`: the socket was made but would not bind).
        case noFreePort(bound: Bool, problem: String)

        var category: SlipwayError.Category {
            switch self {
            case .beforeOldest, .afterNewest, .dataFolderNotEmpty, .neonBranchMissing, .outsideNeonHistory, .confirmationNeeded,
                 .inPlaceOnLocalServer: .usage
            default: .failure
            }
        }

        var line: String {
            switch self {
            case .noBaseBackup(let of, let forRestore):
                "\(of) has no base backup \(forRestore ? "to restore" : "yet"): take one with slipway backup create"
            case .beforeOldest(let time, let of, let earliest, let latest):
                "restore to \(TimeText.rfc3339Milliseconds(time)) refused: it is before the oldest base backup of \(of); "
                    + "the window is \(TimeText.rfc3339Milliseconds(earliest)) to \(TimeText.rfc3339Milliseconds(latest))"
            case .afterNewest(let time, let of, let earliest, let latest):
                "restore to \(TimeText.rfc3339Milliseconds(time)) refused: it is after the newest archived WAL of \(of); "
                    + "the window is \(TimeText.rfc3339Milliseconds(earliest)) to \(TimeText.rfc3339Milliseconds(latest)) "
                    + "(a later moment needs its WAL archived first: SELECT pg_switch_wal() on the server)"
            case .doesNotVerify(let backupID, let problem):
                "the backup \(backupID) does not verify (\(problem)): restore another one"
            case .problemsFound(let subject, let count, let store):
                "the \(store ? "store" : "backup") \(subject) has \(count) problem\(count == 1 ? "" : "s")"
            case .cannotRestore(let backupID, let to, let problem):
                "cannot restore the backup \(backupID) to \(to): \(problem)"
            case .cannotCopy(let backupID, let into, let problem):
                "cannot copy base backup \(backupID) into \(into): \(problem)"
            case .dataFolderNotEmpty(let data):
                "\(data) is not empty: a restore goes into a new data folder, never over an existing one"
            case .noServerUser:
                "running as root, and there is no server user to run the restored cluster as (no WAL archive owner, no postgres user)"
            case .serverDidNotStart(let data, let said):
                "the restored server in \(data) did not start: \(said)"
            case .serverStoppedInRecovery(let data, let said):
                "the restored server in \(data) stopped during recovery: \(said)"
            case .stillRecovering(let data, let seconds, let log):
                "the restored server in \(data) was still recovering after \(seconds) s; stopped it (see \(log))"
            case .replayEndUnknown:
                "the restored server does not say where its WAL replay ended"
            case .drillLocked(let folder):
                "another drill holds the lock of \(folder)"
            case .verifyQueryFailed(let problem):
                "verify_query failed on the restored database: \(problem)"
            case .tablesNotCounted(let got):
                "the restored database did not count its tables (got '\(got)')"
            case .drillFailed(let of, let seconds, let summary):
                "restore drill of \(of) failed after \(DurationText.format(seconds)): \(summary)"
            case .postgresProgramsMissing(let major, let debianFolder):
                "PostgreSQL \(major)'s programs (pg_basebackup, pg_ctl) are not installed here (looked in \(debianFolder) and pg_config --bindir): "
                    + "install postgresql-\(major) (apt-get install postgresql-\(major))"
            case .programFailed(let name, let status, let lastLine):
                "\(name) failed (exit \(status)): \(lastLine)"
            case .neonBranchMissing(let branch, let project, let known):
                "Neon project \(project) has no branch '\(branch)' (branches: \(known.isEmpty ? "none" : known.joined(separator: ", ")))"
            case .outsideNeonHistory(let time, let of, let earliest, let latest):
                "restore to \(TimeText.rfc3339Milliseconds(time)) refused: it is outside the history Neon keeps of \(of); "
                    + "the window is \(TimeText.rfc3339Milliseconds(earliest)) to \(TimeText.rfc3339Milliseconds(latest)) "
                    + "(history_retention_seconds of the project)"
            case .confirmationNeeded(let database, let given):
                (given.map { "--confirm '\($0)' does not name the database restored over; " } ?? "restore --in-place replaces the live database; ")
                    + "type --confirm \(database) to restore over it"
            case .inPlaceOnLocalServer(let of):
                "restore --in-place is refused for \(of): Slipway does not own its server, so it restores into a new cluster only "
                    + "(drop --in-place; stop the live server and point it at the restored data folder yourself)"
            case .neonOperationFailed(let action, let id, let status):
                "Neon's \(action) operation \(id) ended \(status)"
            case .neonOperationStillRunning(let action, let id, let seconds):
                "Neon's \(action) operation \(id) was still running after \(seconds) s; see the project's operations"
            case .noFreePort(let bound, let problem):
                "cannot find a free port\(bound ? " on 127.0.0.1" : ""): \(problem)"
            }
        }
    }
}
