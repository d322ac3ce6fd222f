import ArgumentParser
import SlipwayCore

struct ProjectionCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "projection",
        abstract: "Rebuild a component's projections beside their live version, compare and switch; show where the rebuilds stand.",
        discussion: """
            A component declares its projections in its database: block: `projections: [{name: orders_view, table: orders_view, \
            rebuild: COMMAND or {goal: NAME}, compare: SQL or {goal: NAME}, switch: {goal: NAME}}]`.
            """,
        subcommands: [ProjectionRebuildCommand.self, ProjectionStatus.self])
}
