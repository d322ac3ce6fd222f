import ArgumentParser
import SlipwayCore

struct ConfigCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "config", abstract: "Work with the workspace's configuration.", subcommands: [ConfigCheck.self])
}
