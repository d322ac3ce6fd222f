import ArgumentParser
import Foundation
import SlipwayCore

struct ConfigCheck: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "check", abstract: "Check slipway.yml and every component's configuration; exit 2 on any error.")

    @OptionGroup var global: GlobalOptions

    func run() async throws {
        let engine = try await global.openEngine(warnings: false)
        let workspace = engine.workspace
        for problem in workspace.problems {
            FileHandle.standardError.write(Data("slipway: error: \(problem.error.message)\n".utf8))
        }
        if !workspace.problems.isEmpty {
            let count = workspace.problems.count
            throw SlipwayError.usage("\(count) component\(count == 1 ? "" : "s") cannot be loaded; the others are fine")
        }
        var problems = 0
        for component in workspace.components {
            do {
                try engine.checkDeployable(component)
            } catch {
                print("warning: \(error.message)")
                problems += 1
            }
        }
        print("config ok: \(workspace.components.count) components, environments \(workspace.config.environmentNames.joined(separator: ", "))"
            + (problems > 0 ? "; \(problems) cannot be deployed yet" : ""))
    }
}
