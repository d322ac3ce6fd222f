import ArgumentParser
import Foundation
import Logging
import SlipwayConsole
import SlipwayCore

/// `slipway`: with no subcommand and a terminal, the console; otherwise one of the universal
/// commands. Deliberately no `version:` here: it would swallow the deploy commands' `--version V`.
struct SlipwayCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "slipway",
        abstract: "Deploy, roll back, test and watch the apps and services of a monorepo.",
        discussion: """
            With no subcommand on a terminal, opens the console. Exit codes: 0 done, 1 the operation \
            failed, 2 usage or configuration error.
            """,
        subcommands: [
            ConsoleCommand.self, ListApps.self, ListServices.self, Status.self, Hosts.self, TestApp.self, TestService.self,
            TestAll.self, DeployApp.self, DeployService.self, DeployAll.self, HealthCheckAll.self, SetupEnv.self,
            Releases.self, Diff.self, Drift.self, Rollback.self, Runs.self, Cancel.self, Events.self, ConfigCommand.self,
            StoreCommand.self, Demo.self, VersionCommand.self, Switch.self, Logs.self, AgentCommand.self,
            SlotCommand.self, RouterCommand.self,
            Report.self, Gate.self,
            Changes.self, PipelineCommand.self, Promote.self, CIGroup.self,
            CanaryCommand.self, SLOCommand.self, MigrateCommand.self, ProjectionCommand.self, BackupCommand.self, RestoreCommand.self, AlertsCommand.self,
            ApprovalsCommand.self,
        ])

    @OptionGroup var global: GlobalOptions

    func run() async throws {
        guard isatty(STDIN_FILENO) == 1, isatty(STDOUT_FILENO) == 1 else {
            FileHandle.standardError.write(Data((Self.helpMessage() + "\n").utf8))
            throw ExitCode(2)
        }
        try await ConsoleCommand.open(global: global, readOnly: false)
    }
}

@main
enum Entry {
    static func main() async {
        // A closed pipe (an agent killed mid-answer, `slipway events | head`) is an error to
        // report on the write that met it, never a silent death by signal 13.
        signal(SIGPIPE, SIG_IGN)
        // Nothing to parse or log: the parsed `version` makes 49 first-time conformance look-ups
        // (argument-parser's reflection of its tree of 40 commands, mostly), each a scan of the
        // whole binary, which is most of what it would otherwise cost (bench/README.md, "Start-up:
        // the loader's share").
        if VersionCommand.isWholeCommandLine(CommandLine.arguments) {
            VersionCommand().run()
            exit(0)
        }
        // Diagnostics on stderr (the agent's is its log file), from --log-level or SLIPWAY_LOG_LEVEL,
        // read before the command is parsed so that parsing the workspace can say things too.
        let level = GlobalOptions.logLevel(arguments: CommandLine.arguments, environment: ProcessInfo.processInfo.environment)
        LoggingSystem.bootstrap { label in
            guard label == GlobalOptions.diagnosticsLabel else {
                var handler = StreamLogHandler.standardError(label: label)
                handler.logLevel = level
                return handler
            }
            return DiagnosticLogHandler(logLevel: level)
        }
        do {
            var command = try SlipwayCommand.parseAsRoot()
            if var asyncCommand = command as? AsyncParsableCommand {
                try await asyncCommand.run()
            } else {
                try command.run()
            }
            exit(0)
        } catch {
            exit(report(error))
        }
    }

    /// "did you mean" for a mistyped command (`delpoy-all` near `deploy-all`): the first word of
    /// the command line, when it is no command, whatever argument-parser complained of first.
    static func suggestion(for message: String) -> String {
        let commands = SlipwayCommand.configuration.subcommands.map { $0._commandName }
        guard let typed = CommandLine.arguments.dropFirst().first, !typed.hasPrefix("-"), !commands.contains(typed) else {
            return ""
        }
        return NearestName.suggestion(for: typed, among: commands).map { "; did you mean '\($0)'?" } ?? ""
    }

    /// Prints `error` as one line on stderr and returns the exit code: usage errors (which
    /// argument-parser would exit with 64) become 2.
    static func report(_ error: any Error) -> Int32 {
        if let error = error as? SlipwayError {
            printError(error.message)
            return error.exitCode
        }
        if let exitCode = error as? ExitCode { return exitCode.rawValue }
        let code = SlipwayCommand.exitCode(for: error)
        if code == .success {
            print(SlipwayCommand.fullMessage(for: error))
            return 0
        }
        let message = SlipwayCommand.message(for: error).split(separator: "\n").first.map(String.init) ?? "\(error)"
        printError("\(message)\(suggestion(for: message)) (see 'slipway help')")
        return 2
    }

    static func printError(_ message: String) {
        FileHandle.standardError.write(Data("slipway: error: \(message)\n".utf8))
    }
}
