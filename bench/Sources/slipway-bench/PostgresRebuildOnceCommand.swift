import ArgumentParser
import Foundation
import SlipwayCore

/// `pg-rebuild-once`: one `rebuildProjection` of the PostgreSQL store at a URL, in a process of
/// its own so that its VmHWM is the rebuild's; prints a RESULT line.
struct PostgresRebuildOnceCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "pg-rebuild-once", abstract: "One rebuildProjection() of a PostgreSQL store; prints a RESULT line.", shouldDisplay: false)

    @Argument(help: "The store's postgres:// URL.") var url: String

    func run() async throws {
        let store = try await PostgresEventStore.open(try StoreURL(url, name: "url"))
        let events = Int(try await store.latestEventID())
        _ = try await store.projection()
        let hwmBefore = procStatusKB("VmHWM")
        let start = now()
        let rebuild = try await store.rebuildProjection(reporting: nil)
        let elapsed = seconds(since: start)
        print(RebuildResult(
            events: events, seconds: elapsed, foldSeconds: nil, hwmBeforeKB: hwmBefore, hwmAfterKB: procStatusKB("VmHWM"),
            rssAfterKB: procStatusKB("VmRSS"), states: rebuild.projection.states.count, matchesIncremental: !rebuild.storedDiffered).line)
    }
}
