import ArgumentParser
import SlipwayCore

struct StoreRebuild: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "rebuild", abstract: "Fold the projection again from every event.")

    @OptionGroup var global: GlobalOptions

    func run() async throws {
        let store = try await global.openEngine().store
        let before = try store.projection()
        let rebuilt = try store.rebuildProjection()
        let same = before == rebuilt
        print("rebuilt \(rebuilt.states.count) component states from \(try store.latestEventID()) events"
            + (same ? "; identical to the incremental projection" : "; the incremental projection differed and was replaced"))
    }
}
