import ArgumentParser
import Foundation
import SlipwayCore

struct BackupVerify: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "verify",
        abstract: "Verify a store backup (ID), or drill a component database's restore (COMPONENT --env ENV --restore); exit 1 on any problem.",
        discussion: """
            ID: opens the store backup read-only: integrity check, contiguous events, projection equal to its events folded again. \
            COMPONENT --env ENV --restore: a restore drill. The newest base backup and all the archived WAL are restored into a \
            throwaway cluster under the backup folder's restores/ (the live server is not contacted), which must replay the whole \
            archive and answer: the database's user tables are counted, or its database.verify_query runs. The time from the start \
            until checked is the restore time shown against the RTO in backup status; the cluster is then stopped and removed, \
            and the drill recorded as backup.drilled.
            """)

    @OptionGroup var global: GlobalOptions
    @Argument(help: "The store backup's id (see 'slipway backup list'), or with --restore the component.") var subject: String
    @Option(help: "The environment whose database to drill, with --restore.") var env: String?
    @Flag(help: "Drill a restore of the component's database into a throwaway cluster.") var restore = false
    @Flag(help: "Print JSON (the drill).") var json = false

    func run() async throws {
        if restore || env != nil {
            guard restore, let env else {
                throw SlipwayError.usage("backup verify \(subject): a component's database is verified by a restore drill: give --env ENV --restore")
            }
            return try await drill(subject, env: env)
        }
        try global.refuseSharedStore()
        let folder = StoreBackupFolder(statePath: global.statePath(in: try global.workspaceRoot()))
        let backup = try folder.backup(id: subject)
        let check = folder.verify(backup)
        for problem in check.problems { print("problem: \(problem)") }
        guard check.isSound else {
            throw SlipwayError(.backup(.problemsFound(subject: backup.id, count: check.problems.count, store: false)))
        }
        print("backup ok: \(backup.id), \(check.events) events, integrity ok, ids contiguous, projection equals the events folded again")
    }

    private func drill(_ component: String, env: String) async throws {
        let engine = try await global.openEngine(json: json)
        let target = try engine.databaseBackupTarget(of: engine.workspace.component(named: component), environment: env, connecting: false)
        let drill = try await engine.drillRestore(target)
        guard drill.ok else {
            throw SlipwayError(.backup(.drillFailed(of: target.description, seconds: drill.seconds, summary: drill.summary)))
        }
        if json { return try JSONOutput.print(drill) }
        let objective = drill.seconds <= target.objectives.time ? "within" : "over"
        print("restore drill ok: \(target.description) restored from \(drill.backup ?? "-") to "
            + "\(drill.recoveredTo.map(TimeText.rfc3339Milliseconds) ?? "-") in \(DurationText.format(drill.seconds)) "
            + "(\(objective) the RTO of \(DurationText.format(target.objectives.time))); \(drill.summary)")
    }
}
