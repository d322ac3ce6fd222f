import ArgumentParser
import Foundation
import SlipwayCore

struct StoreMigrate: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "migrate",
        abstract: "Copy the embedded store's events into a PostgreSQL store exactly (ids, times, actors, payloads) with the projection folded from them, in one transaction.")

    @OptionGroup var global: GlobalOptions
    @Option(help: ArgumentHelp(
        "The PostgreSQL store to copy into, which must hold no events (default: the store chosen by store: or SLIPWAY_STORE_URL).",
        valueName: "postgres-url"))
    var to: String?

    func run() async throws {
        let root = try global.workspaceRoot()
        guard let target = try to.map({ text throws(SlipwayError) in try StoreURL(text, name: "--to") }) ?? global.sharedStoreURL() else {
            throw SlipwayError.usage("say which PostgreSQL store to migrate into: --to postgres://..., store: in slipway.yml or \(StoreURL.variable)")
        }
        let path = global.statePath(in: root)
        guard FileManager.default.fileExists(atPath: path.path) else {
            throw SlipwayError.usage("there is no embedded store at \(path.path) to migrate")
        }
        let source = try SQLiteStore(path: path)
        let store = try await PostgresEventStore.open(target)
        let copied = try await store.copy(from: source)
        // Read back: the projection the copy stored must be the fleet the embedded store shows.
        let stored = try await store.projection()
        guard stored == (try source.projection()) else {
            throw SlipwayError.failure(
                "copied \(copied) events into \(store.location), but the projection stored from them differs from the embedded store's: "
                    + "run 'slipway store check' on \(path.path)")
        }
        print("copied \(copied) events from \(path.path) into \(store.location); the projection stored from them equals "
            + "the embedded store's (\(stored.states.count) component states)")
    }
}
