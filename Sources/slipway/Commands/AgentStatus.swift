import ArgumentParser
import Foundation
import SlipwayAgent
import SlipwayCore

struct AgentStatus: AsyncParsableCommand {
    static let configuration = CommandConfiguration(commandName: "status", abstract: "Show the agent, its slots and routers.")

    @OptionGroup var global: GlobalOptions
    @Flag(help: "Print JSON.") var json = false

    func run() async throws {
        let engine = try await global.openEngine(json: json)
        let client = AgentClient(workspace: engine.workspace.root, statePath: engine.statePath)
        guard await client.answers() else {
            if json { return print(#"{"running":false,"socket":"\#(client.socketPath)"}"#) }
            print("agent: not running (socket \(client.socketPath)); deploys of local components start it")
            return
        }
        let status = try await client.status()
        if json { return try JSONOutput.print(status) }
        print("agent: pid \(status.pid), socket \(status.socket), router pid \(status.routerPID.map(String.init) ?? "-")")
        if let problem = status.storeProblem { print("agent: not writing: \(problem)") }
        Table(
            headers: ["COMPONENT", "ENVIRONMENT", "URL", "LIVE", "WEIGHTS"],
            rows: status.routes.map {
                [$0.component, $0.environment, $0.url, $0.liveColor ?? "-",
                 "blue \($0.weights["blue"] ?? 0)% green \($0.weights["green"] ?? 0)%"]
            }
        ).print()
        Table(
            headers: ["COMPONENT", "ENVIRONMENT", "COLOR", "VERSION", "PORT", "PID", "STATE", "RESTARTS"],
            rows: status.slots.map {
                [$0.component, $0.environment, $0.color, $0.version, String($0.port), String($0.pid), $0.state.rawValue, String($0.restarts)]
            }
        ).print()
    }
}
