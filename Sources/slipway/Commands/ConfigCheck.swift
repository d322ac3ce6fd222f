import ArgumentParser
import SlipwayCore

struct ConfigCheck: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "check", abstract: "Check slipway.yml and every component's configuration; exit 2 on any error.")

    @OptionGroup var global: GlobalOptions

    func run() async throws {
        let engine = try await global.openEngine()
        let workspace = engine.workspace
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
