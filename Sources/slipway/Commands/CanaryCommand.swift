import ArgumentParser
import Foundation
import SlipwayCore

struct CanaryCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "canary", abstract: "Watch and steer a component's canary.",
        subcommands: [CanaryStatusCommand.self, CanarySteer<PromoteCanary>.self, CanarySteer<PauseCanary>.self,
                      CanarySteer<ResumeCanary>.self, CanarySteer<AbortCanary>.self])
}
