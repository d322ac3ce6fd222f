import ArgumentParser
import Foundation
import SlipwayCore

struct Runs: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "runs",
        abstract: "List deploy, rollback, test and health-check runs, newest first.",
        subcommands: [RunsList.self, RunsShow.self], defaultSubcommand: RunsList.self)
}
