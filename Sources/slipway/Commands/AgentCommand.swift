import ArgumentParser
import Foundation
import SlipwayAgent
import SlipwayCore

struct AgentCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "agent", abstract: "The workspace's agent: it supervises the local slots and the router.",
        subcommands: [AgentStatus.self, AgentStart.self, AgentStop.self, AgentServe.self], defaultSubcommand: AgentStatus.self)
}

struct AgentStatus: AsyncParsableCommand {
    static let configuration = CommandConfiguration(commandName: "status", abstract: "Show the agent, its slots and routers.")

    @OptionGroup var global: GlobalOptions
    @Flag(help: "Print JSON.") var json = false

    func run() async throws {
        let engine = try await global.openEngine(json: json)
        let client = AgentClient(workspace: engine.workspace.root, statePath: engine.store.path)
        guard client.isRunning else {
            if json { return print(#"{"running":false,"socket":"\#(client.socketPath)"}"#) }
            print("agent: not running (socket \(client.socketPath)); deploys of local components start it")
            return
        }
        let status = try client.send(AgentRequest(.status))
        if json { return try JSONOutput.print(status) }
        print("agent: pid \(status.pid ?? 0), socket \(status.socket ?? "?"), router pid \(status.routerPID.map(String.init) ?? "-")")
        Table(
            headers: ["COMPONENT", "ENVIRONMENT", "URL", "LIVE", "WEIGHTS"],
            rows: (status.routes ?? []).map {
                [$0.component, $0.environment, $0.url, $0.liveColor ?? "-",
                 "blue \($0.weights["blue"] ?? 0)% green \($0.weights["green"] ?? 0)%"]
            }
        ).print()
        Table(
            headers: ["COMPONENT", "ENVIRONMENT", "COLOR", "VERSION", "PORT", "PID", "STATE", "RESTARTS"],
            rows: (status.slots ?? []).map {
                [$0.component, $0.environment, $0.color, $0.version, String($0.port), String($0.pid), $0.state.rawValue, String($0.restarts)]
            }
        ).print()
    }
}

struct AgentStart: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "start", abstract: "Start the agent (it adopts the router and slots already running).")

    @OptionGroup var global: GlobalOptions

    func run() async throws {
        let engine = try await global.openEngine()
        let client = AgentClient(workspace: engine.workspace.root, statePath: engine.store.path)
        try client.start()
        let status = try client.send(AgentRequest(.ping))
        print("agent: pid \(status.pid ?? 0), socket \(client.socketPath)")
    }
}

struct AgentStop: AsyncParsableCommand {
    static let configuration = CommandConfiguration(commandName: "stop", abstract: "Stop the agent, its slots and the router.")

    @OptionGroup var global: GlobalOptions

    func run() async throws {
        let engine = try await global.openEngine()
        let client = AgentClient(workspace: engine.workspace.root, statePath: engine.store.path)
        let hasProcesses = try engine.store.process(role: "router") != nil || engine.store.slots().contains { $0.state == .running }
        guard client.isRunning || hasProcesses else { return print("agent: not running") }
        // An agent that was killed left its router and slots behind: a new one adopts them, then stops them.
        try client.start()
        let pid = try client.send(AgentRequest(.ping)).pid
        _ = try client.send(AgentRequest(.stop))
        let deadline = Date().addingTimeInterval(15)
        // The socket goes quiet before the process is gone: "stopped" waits for both.
        while (client.isRunning || pid.map(DetachedProcess.isRunning) == true) && Date() < deadline {
            try await Task.sleep(for: .milliseconds(100))
        }
        print("agent: stopped")
    }
}

struct AgentServe: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "serve", abstract: "Run the agent in this process (started on demand).", shouldDisplay: false)

    @OptionGroup var global: GlobalOptions

    func run() async throws {
        let engine = try await global.openEngine()
        try Agent.run(workspace: engine.workspace.root, state: engine.store.path)
    }
}
