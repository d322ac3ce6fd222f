import ArgumentParser
import Foundation
import SlipwayCore

struct Demo: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "demo",
        abstract: "Build a live demo workspace, deploy it to every environment, and open the console.")

    @Option(help: "Where the demo lives.") var dir = "slipway-demo"
    @Flag(help: "Recreate the demo from scratch.") var reset = false
    @Flag(help: "Do not open the console afterwards.") var noConsole = false
    @Flag(help: ArgumentHelp(
        "Add an ECS service and a Cloudflare Worker, on moto (an AWS API emulator) and a stand-in for Cloudflare's API.",
        discussion: "Needs moto and the aws CLI: 'make demo-cloud' installs them into .venv/. 'agent stop' stops the stand-ins."))
    var cloud = false

    func run() async throws {
        let directory = URL(fileURLWithPath: dir).standardizedFileURL
        let tools = cloud ? try DemoCloudTools.locate() : nil
        try await DemoWorkspace(directory: directory, output: { print($0) }, cloud: tools).prepare(reset: reset)
        if !noConsole, isatty(STDIN_FILENO) == 1, isatty(STDOUT_FILENO) == 1 {
            var global = try GlobalOptions.parse([])
            global.workspace = directory.path
            do {
                try await ConsoleCommand.open(global: global, readOnly: false)
            } catch {
                sayWhatKeepsRunning(in: directory)
                throw error
            }
            sayWhatKeepsRunning(in: directory)
        } else {
            print("demo ready in \(directory.path): try '\(DetachedProcess.currentExecutable) --workspace \(dir) status'")
        }
    }

    /// The demo's agent, router and slots go on after the console closes: never without a word.
    private func sayWhatKeepsRunning(in directory: URL) {
        guard let store = try? SQLiteStore(path: directory.appendingPathComponent(".slipway/state.db")),
              let processes = try? BackgroundProcesses.running(in: store),
              let farewell = processes.farewell(stopCommand: "\(DetachedProcess.currentExecutable) --workspace \(dir) agent stop")
        else { return }
        print("demo: \(farewell)")
    }
}
