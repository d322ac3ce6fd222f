import ArgumentParser
import SlipwayCore

struct VersionCommand: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "version", abstract: "Print Slipway's version.")

    /// Whether `arguments` (the program's name first) are `version` alone, which `Entry` answers
    /// without parsing; any option (`--help`, `--log-level`) goes through argument-parser.
    static func isWholeCommandLine(_ arguments: [String]) -> Bool {
        arguments.count == 2 && arguments[1] == configuration.commandName
    }

    func run() {
        print("slipway \(SlipwayVersion.current)")
    }
}
