import ArgumentParser
import Foundation
import SlipwayCore

struct MigrateLint: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "lint",
        abstract: "Check every migration file against the additive-only rules; exit 1 on a finding no allow comment excuses.",
        discussion: "Excuse a reviewed statement with a comment on it: -- slipway:allow drop-column: <reason>.")

    @OptionGroup var global: GlobalOptions
    @Argument(help: "The component, as NAME, apps/NAME or services/NAME.") var component: String
    @Option(help: "The environment (accepted for symmetry; lint reads files only).") var env: String?
    @Flag(help: "Print JSON.") var json = false

    struct Report: Encodable {
        var files: Int
        var findings: [MigrationLintFinding]
    }

    func run() async throws {
        let engine = try await global.openEngine(json: json)
        if let env { _ = try engine.workspace.environment(named: env) }
        let catalog = try engine.migrationCatalog(of: engine.workspace.component(named: component))
        let findings = catalog.lint()
        let refused = findings.filter { !$0.isAllowed }
        if json {
            try JSONOutput.print(Report(files: catalog.versioned.count, findings: findings))
        } else {
            for finding in findings { print(finding) }
            print("\(catalog.versioned.count) migration file\(catalog.versioned.count == 1 ? "" : "s"): "
                + "\(refused.count) finding\(refused.count == 1 ? "" : "s"), \(findings.count - refused.count) allowed by comment")
        }
        if !refused.isEmpty { throw ExitCode(1) }
    }
}
