import ArgumentParser
import SlipwayRouter

/// The router process; the agent starts it, nobody else should.
struct RouterCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "router", abstract: "Run the traffic router (started by the agent).", shouldDisplay: false)

    @Option(help: "The control socket.") var control: String

    func run() async throws {
        try await RouterProcess.run(controlSocket: control)
    }
}
