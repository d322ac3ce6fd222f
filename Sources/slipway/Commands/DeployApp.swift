import ArgumentParser
import SlipwayCore

struct DeployApp: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "deploy-app", abstract: "Deploy an app to an environment.")

    @OptionGroup var global: GlobalOptions
    @Argument(help: "The app, as NAME or apps/NAME.") var app: String
    @OptionGroup var deploy: DeployOptions

    func run() async throws {
        try await deploy.run(global: global, reference: app, kind: .app)
    }
}
