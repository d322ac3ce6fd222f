import ArgumentParser
import Foundation
import SlipwayCore

/// The process that holds one slot; the agent starts it, nobody else should.
struct SlotCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "slot", abstract: "Run one release in a slot, logging its output (started by the agent).",
        shouldDisplay: false)

    @Option(help: "The slot's log file.") var log: String
    @Option(help: "Where the release runs.") var directory: String
    @Option(help: "NAME=VALUE for the release's environment.") var variable: [String] = []
    @Argument(parsing: .postTerminator, help: "The command.") var command: [String]

    func run() async throws {
        var variables: [String: String] = [:]
        for pair in variable {
            guard let equals = pair.firstIndex(of: "=") else { throw SlipwayError.usage("--variable needs NAME=VALUE, not '\(pair)'") }
            variables[String(pair[..<equals])] = String(pair[pair.index(after: equals)...])
        }
        let status = await SlotProcess.run(
            command: command, directory: URL(fileURLWithPath: directory), variables: variables,
            log: try RotatingLog(url: URL(fileURLWithPath: log)))
        throw ExitCode(status)
    }
}
