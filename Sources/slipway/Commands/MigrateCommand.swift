import ArgumentParser
import SlipwayCore

struct MigrateCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "migrate",
        abstract: "Lint, inspect and apply a component's database migrations (additive only, Flyway's history layout).",
        discussion: """
            Migrations are V<version>__<description>.sql files in the folder the component's `database: {migrations: DIR}` \
            names; U<version>__ files beside them are compensating scripts, never run by themselves. The environment's \
            `database:` names an entry of slipway.yml's `databases:`, whose url_env variable holds the connection string.
            """,
        subcommands: [MigrateLint.self, MigrateStatus.self, MigratePlan.self, MigrateApply.self, MigrateRepair.self])
}
