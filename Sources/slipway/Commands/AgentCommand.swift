import ArgumentParser
import Foundation
import SlipwayAgent
import SlipwayCore

struct AgentCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "agent", abstract: "The workspace's agent: it supervises the local slots and the router.",
        subcommands: [AgentStatus.self, AgentStart.self, AgentStop.self, AgentServe.self], defaultSubcommand: AgentStatus.self)
}
