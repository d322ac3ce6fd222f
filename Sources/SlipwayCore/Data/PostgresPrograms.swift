import Foundation
import Subprocess
import SystemPackage

/// PostgreSQL's own programs (`pg_basebackup`, `pg_dump`, `pg_ctl`) of one major version, run
/// to their end. A base backup is only restorable by the server version that took it, so the
/// version is chosen from the server, not from PATH (Debian's /usr/bin wrappers pick their own).
public struct PostgresPrograms: Sendable {
    public var folder: URL

    /// The programs of `major`: Debian's `/usr/lib/postgresql/<major>/bin`, else the folder of
    /// `pg_config --bindir` when it holds that version, else the newest installed.
    public static func locate(major: Int) async throws(SlipwayError) -> PostgresPrograms {
        let manager = FileManager.default
        let debian = "/usr/lib/postgresql/\(major)/bin"
        if manager.isExecutableFile(atPath: debian + "/pg_ctl") { return PostgresPrograms(folder: URL(fileURLWithPath: debian)) }
        if let configured = try? await output(of: "pg_config", ["--bindir"]),
           manager.isExecutableFile(atPath: configured + "/pg_ctl") {
            return PostgresPrograms(folder: URL(fileURLWithPath: configured))
        }
        throw SlipwayError(.backup(.postgresProgramsMissing(major: major, debianFolder: debian)))
    }

    /// Runs `name` with `arguments`, as `user` when it is another user than this process and
    /// this process is root; returns its exit status and its output (standard error included).
    func run(
        _ name: String, _ arguments: [String], as user: ServerUser? = nil, environment: [String: String] = [:]
    ) async throws(SlipwayError) -> (status: Int32, output: String) {
        let program = folder.appendingPathComponent(name).path
        var executable = program
        var argv = arguments
        if let user, user.needsSwitch {
            executable = "/usr/sbin/runuser"
            argv = ["-u", user.name, "--", program] + arguments
        }
        var updates: [Environment.Key: String?] = ["LC_ALL": "C"]
        for (key, value) in environment { updates[Environment.Key(stringLiteral: key)] = value }
        do {
            // The server pg_ctl starts writes only to its log file (-l), so these pipes end with pg_ctl.
            let result = try await Subprocess.run(
                .path(FilePath(executable)), arguments: Arguments(argv), environment: .inherit.updating(updates),
                workingDirectory: FilePath("/"), output: .string(limit: 1 << 20), error: .string(limit: 1 << 20))
            let status: Int32 = switch result.terminationStatus {
            case .exited(let code): code
            case .signaled(let signal): 128 + signal
            }
            let text = [result.standardOutput, result.standardError].compactMap { $0 }.joined(separator: "\n")
            return (status, text.trimmingCharacters(in: .whitespacesAndNewlines))
        } catch {
            throw SlipwayError(.cannotRun(command: program, problem: "\(error)"))
        }
    }

    /// Runs `name` and fails with its last line of output when it does not succeed.
    @discardableResult
    func require(
        _ name: String, _ arguments: [String], as user: ServerUser? = nil, environment: [String: String] = [:]
    ) async throws(SlipwayError) -> String {
        let result = try await run(name, arguments, as: user, environment: environment)
        guard result.status == 0 else {
            let last = result.output.split(separator: "\n").last.map(String.init) ?? "no output"
            throw SlipwayError(.backup(.programFailed(name, status: result.status, lastLine: last)))
        }
        return result.output
    }

    private static func output(of name: String, _ arguments: [String]) async throws -> String {
        let result = try await Subprocess.run(
            .name(name), arguments: Arguments(arguments), output: .string(limit: 1 << 16), error: .discarded)
        return result.standardOutput.trimmingCharacters(in: .whitespacesAndNewlines)
    }
}
