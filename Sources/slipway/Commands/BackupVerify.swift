import ArgumentParser
import Foundation
import SlipwayCore

struct BackupVerify: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "verify",
        abstract: "Open a backup read-only: integrity check, contiguous events, projection equal to its events folded again; exit 1 on any problem.")

    @OptionGroup var global: GlobalOptions
    @Argument(help: "The backup's id (see 'slipway backup list').") var id: String

    func run() async throws {
        let folder = StoreBackupFolder(statePath: global.statePath(in: try global.workspaceRoot()))
        let backup = try folder.backup(id: id)
        let check = folder.verify(backup)
        for problem in check.problems { print("problem: \(problem)") }
        guard check.isSound else {
            throw SlipwayError.failure("the backup \(backup.id) has \(check.problems.count) problem\(check.problems.count == 1 ? "" : "s")")
        }
        print("backup ok: \(backup.id), \(check.events) events, integrity ok, ids contiguous, projection equals the events folded again")
    }
}
