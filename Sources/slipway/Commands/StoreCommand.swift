import ArgumentParser
import SlipwayCore

struct StoreCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "store", abstract: "Maintain the event store.", subcommands: [StoreCheckCommand.self, StoreRebuild.self, StoreMigrate.self])
}
