import ArgumentParser
import SlipwayCore

/// What every component-database backup command takes.
struct DatabaseBackupOptions: ParsableArguments {
    @Argument(help: "The component, as NAME, apps/NAME or services/NAME.") var component: String
    @Option(help: "The environment whose database is meant.") var env: String
    @Flag(help: "Print JSON.") var json = false

    func target(_ engine: Engine, connecting: Bool = true) throws(SlipwayError) -> DatabaseBackupTarget {
        try engine.databaseBackupTarget(of: engine.workspace.component(named: component), environment: env, connecting: connecting)
    }
}
