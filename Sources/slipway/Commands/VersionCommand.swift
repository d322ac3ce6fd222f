import ArgumentParser
import SlipwayCore

struct VersionCommand: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "version", abstract: "Print Slipway's version.")

    func run() {
        print("slipway \(SlipwayVersion.current)")
    }
}
