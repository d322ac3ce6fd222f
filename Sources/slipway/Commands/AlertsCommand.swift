import ArgumentParser
import Foundation
import SlipwayCore

struct AlertsCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "alerts",
        abstract: "Silence alerts for a while, and list the silences in force.",
        discussion: """
            A silenced alert is recorded (the console's alerts screen marks it) but delivered to no sink. \
            Routing is slipway.yml's `alerts: {sinks:, routes:}`.
            """,
        subcommands: [AlertsSilence.self, AlertsSilences.self])
}
