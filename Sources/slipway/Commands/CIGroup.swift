import ArgumentParser
import Foundation
import SlipwayCore

struct CIGroup: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "ci", abstract: "Write CI configuration that runs the same pipeline.", subcommands: [CIGitHub.self])
}
