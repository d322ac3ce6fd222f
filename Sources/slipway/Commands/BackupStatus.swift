import ArgumentParser
import Foundation
import SlipwayCore

struct BackupStatus: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "status",
        abstract: "Per component database (or COMPONENT --env ENV's), the newest recoverable point against the RPO and the last restore drill against the RTO.",
        discussion: """
            RPO (database.rpo, default 1h): ok while the newest recoverable point (archived WAL, or a base backup) is no older; \
            breached when older or when nothing is recoverable. RTO (database.rto, default 4h): the restore time the last \
            'backup verify COMPONENT --env ENV --restore' measured; unknown until a drill ran, breached when it failed or took longer.
            """)

    @OptionGroup var global: GlobalOptions
    @Argument(help: "Only this component's database.") var component: String?
    @Option(help: "The environment, with COMPONENT.") var env: String?
    @Flag(help: "Print JSON.") var json = false

    func run() async throws {
        let engine = try await global.openEngine(json: json)
        var target: DatabaseBackupTarget?
        if let component {
            guard let env else { throw SlipwayError(.environmentRequired(command: "backup status \(component)")) }
            target = try engine.databaseBackupTarget(of: engine.workspace.component(named: component), environment: env, connecting: false)
        }
        let now = Date()
        var statuses = try engine.databaseBackupStatus(of: target, now: now)
        // A Neon database's window is read from Neon's API; the others from their backup folders.
        // One that cannot be read stays unknown, said on standard error, and the exit is 1.
        var unread: SlipwayError?
        for (index, status) in statuses.enumerated() where status.provider == "neon" {
            do {
                let neon = try engine.databaseBackupTarget(
                    of: engine.workspace.component(named: status.component), environment: status.environment, connecting: false)
                statuses[index] = try await engine.neonBackupStatus(neon, now: now)
            } catch {
                FileHandle.standardError.write(Data("slipway: error: \(status.component) in \(status.environment): \(error.message)\n".utf8))
                unread = error
            }
        }
        if json {
            try JSONOutput.print(statuses)
            if unread != nil { throw ExitCode(1) }
            return
        }
        guard !statuses.isEmpty else { return print("no component declares a database in an environment that names one") }
        Table(
            headers: ["COMPONENT", "ENV", "DATABASE", "NEWEST RECOVERABLE", "FROM", "AGE", "RPO", "LAST DRILL", "RESTORE TIME", "RTO"],
            rows: statuses.map { status in
                [
                    status.component, status.environment, status.database,
                    status.newestRecoverable.map(TimeText.rfc3339) ?? "none", status.source ?? "-",
                    status.newestRecoverable.map { TimeText.age(of: $0, now: now) } ?? "-",
                    "\(status.rpo.rawValue) (\(DurationText.format(status.rpoSeconds)))",
                    status.lastDrill.map { "\(TimeText.age(of: $0.time, now: now)), \($0.ok ? "ok" : "failed")" } ?? "never",
                    status.lastDrill.map { DurationText.format($0.seconds) } ?? "-",
                    "\(status.rto.rawValue) (\(DurationText.format(status.rtoSeconds)))",
                ]
            }
        ).print()
        for status in statuses {
            if let retention = status.historyRetentionSeconds, let earliest = status.earliestRecoverable {
                print("\(status.component) in \(status.environment) is a Neon branch: Neon keeps \(DurationText.format(retention)) of history; "
                    + "restorable from \(TimeText.rfc3339(earliest)) to now")
            }
            if let drill = status.lastDrill, !drill.ok {
                print("last drill of \(status.component) in \(status.environment) failed: \(drill.summary)")
            }
        }
        if unread != nil { throw ExitCode(1) }
    }
}
