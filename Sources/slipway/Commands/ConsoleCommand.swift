import ArgumentParser
import Foundation
import SlipwayConsole
import SlipwayCore

struct ConsoleCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "console", abstract: "Open the console: apps, environments, runs and health, live.")

    @OptionGroup var global: GlobalOptions

    @Flag(name: .long, help: "Hide and refuse every action that changes something.")
    var readOnly = false

    func run() async throws {
        try await Self.open(global: global, readOnly: readOnly)
    }

    static func open(global: GlobalOptions, readOnly: Bool) async throws {
        guard isatty(STDIN_FILENO) == 1, isatty(STDOUT_FILENO) == 1 else {
            throw SlipwayError.usage("the console needs a terminal; use the subcommands (see 'slipway help') without one")
        }
        let engine = try await global.openEngine(origin: "console", output: { _ in })
        let settings: ConsoleSettings
        do {
            settings = try ConsoleSettings.load(readOnly: readOnly || engine.workspace.config.readOnly)
        } catch {
            throw SlipwayError.usage(error.message)
        }
        if case .signal(let number) = try await Console.run(engine: engine, settings: settings) {
            throw ExitCode(128 + number)
        }
    }
}
