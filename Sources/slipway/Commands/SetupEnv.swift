import ArgumentParser
import SlipwayCore

struct SetupEnv: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "setup-env", abstract: "Check that the tools the workspace needs are installed and working.")

    @OptionGroup var global: GlobalOptions

    func run() async throws {
        let engine = try await global.openEngine()
        var missing = 0
        for requirement in ToolRequirement.requirements(for: engine.workspace) {
            let users = requirement.neededBy.joined(separator: ", ")
            if let problem = await requirement.problem() {
                missing += 1
                print("missing  \(requirement.tool) (for \(users)): \(problem); \(requirement.hint)")
            } else {
                print("ok       \(requirement.tool) (for \(users))")
            }
        }
        if missing > 0 {
            print("setup-env: \(missing) tool\(missing == 1 ? "" : "s") missing")
            throw ExitCode(1)
        }
    }
}
