import ArgumentParser
import Foundation
import SlipwayCore

struct Demo: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Build a live demo workspace, deploy it to every environment, and open the console.")

    @Option(help: "Where the demo lives.") var dir = "slipway-demo"
    @Flag(help: "Recreate the demo from scratch.") var reset = false
    @Flag(help: "Do not open the console afterwards.") var noConsole = false

    func run() async throws {
        let directory = URL(fileURLWithPath: dir).standardizedFileURL
        try await DemoWorkspace(directory: directory, output: { print($0) }).prepare(reset: reset)
        if !noConsole, isatty(STDIN_FILENO) == 1, isatty(STDOUT_FILENO) == 1 {
            var global = try GlobalOptions.parse([])
            global.workspace = directory.path
            try await ConsoleCommand.open(global: global, readOnly: false)
        } else {
            print("demo ready in \(directory.path): try '\(DetachedProcess.currentExecutable) --workspace \(dir) status'")
        }
    }
}
