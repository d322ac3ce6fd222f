import ArgumentParser
import Foundation
import SlipwayCore

struct Logs: AsyncParsableCommand {
    static let configuration = CommandConfiguration(commandName: "logs", abstract: "Print the output of a component's slot (the live one by default).")

    @OptionGroup var global: GlobalOptions
    @Argument(help: "The component.") var component: String
    @Option(help: "The environment.") var env: String
    @Option(help: "blue or green (default: the live colour).") var color: String?
    @Option(name: [.customShort("n"), .long], help: "How many lines from the end.") var lines = 100
    @Flag(name: .shortAndLong, help: "Keep printing new lines.") var follow = false

    func run() async throws {
        let engine = try await global.openEngine(naming: component)
        let resolved = try engine.workspace.component(named: component)
        let environment = try engine.workspace.environment(named: env)
        let live = try engine.deploymentState(of: resolved.name, in: environment.name)?.liveColor
        let chosen = color ?? live ?? "blue"
        guard chosen == "blue" || chosen == "green" else { throw SlipwayError(.notAColor(chosen)) }
        let url = engine.workspace.stateDirectory.appendingPathComponent("logs/\(resolved.name)/\(environment.name)/\(chosen).log")
        guard FileManager.default.fileExists(atPath: url.path) else {
            throw SlipwayError.failure("no log for the \(chosen) slot of \(resolved.name) in \(environment.name) (\(url.path))")
        }
        for line in RotatingLog.tail(of: url, limit: lines) { print(line) }
        guard follow else { return }
        let handle = try FileHandle(forReadingFrom: url)
        handle.seekToEndOfFile()
        while true {
            let data = handle.availableData
            if data.isEmpty {
                try await Task.sleep(for: .milliseconds(200))
                continue
            }
            FileHandle.standardOutput.write(data)
        }
    }
}
