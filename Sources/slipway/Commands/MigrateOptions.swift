import ArgumentParser
import SlipwayCore

/// What every `migrate` subcommand that reaches a database takes.
struct MigrateOptions: ParsableArguments {
    @Argument(help: "The component, as NAME, apps/NAME or services/NAME.") var component: String
    @Option(help: "The environment whose database is meant.") var env: String
    @Flag(help: "Print JSON.") var json = false

    func target(_ engine: Engine) throws(SlipwayError) -> MigrationTarget {
        try engine.migrationTarget(of: engine.workspace.component(named: component), environment: env)
    }
}
