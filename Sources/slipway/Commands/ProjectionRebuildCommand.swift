import ArgumentParser
import Foundation
import SlipwayCore

struct ProjectionRebuildCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "rebuild",
        abstract: "Build the projection's next version beside the live one (or resume it), compare the two and switch when they agree.",
        discussion: """
            The rebuild runs in the component's folder with DATABASE_URL, PROJECTION, LIVE_TABLE, TARGET_TABLE (where version \
            N+1 goes: <table>_v<N+1>), PROJECTION_VERSION and RESUME_FROM (0, or the last checkpoint a stopped rebuild \
            reported: rows from it on may exist, so write them idempotently). It reports progress with lines \
            `slipway:checkpoint <position> [<total>]` printed once everything before <position> is committed. \
            Without a compare: step, row counts and an order-independent checksum of both tables are compared, with a sample \
            of the rows only one holds. Without a switch: step, one transaction renames the live table to <table>_v<N> and \
            the new one to <table>. Exit 1 when they differ (listed) and nobody accepted it.
            """)

    @OptionGroup var global: GlobalOptions
    @Argument(help: "The component, as NAME, apps/NAME or services/NAME.") var component: String
    @Argument(help: "The projection's name.") var name: String
    @Option(help: "The environment whose database is meant.") var env: String
    @Flag(help: "Switch although the comparison found differences (needs --reason; recorded in the audit).")
    var acceptDifferences = false
    @Option(help: "Why the differences are accepted.") var reason: String?
    @Flag(help: "Give up the unfinished rebuild (its table dropped) and start the next version from scratch.") var restart = false
    @Flag(help: "Print the outcome as JSON.") var json = false

    func run() async throws {
        if acceptDifferences && reason == nil {
            throw SlipwayError(.reasonRequired(what: "--accept-differences", why: "why the rebuilt projection may differ from the live one"))
        }
        if reason != nil && !acceptDifferences { throw SlipwayError.usage("--reason goes with --accept-differences") }
        let engine = try await global.openEngine(json: json)
        let rebuild = try await engine.rebuildProjection(
            name, of: engine.workspace.component(named: component), environment: env,
            options: .init(acceptDifferences: acceptDifferences ? reason : nil, restart: restart))
        if json { return try JSONOutput.print(rebuild) }
        print("\(rebuild.projection): \(rebuild.summary)")
    }
}
