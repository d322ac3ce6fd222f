import ArgumentParser
import Foundation
import SlipwayCore

struct CanaryCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "canary", abstract: "Watch and steer a component's canary.",
        subcommands: [CanaryStatusCommand.self, CanarySteer.Promote.self, CanarySteer.Pause.self, CanarySteer.Resume.self,
                      CanarySteer.Abort.self])
}
