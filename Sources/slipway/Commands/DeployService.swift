import ArgumentParser
import SlipwayCore

struct DeployService: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "deploy-service", abstract: "Deploy a service to an environment.")

    @OptionGroup var global: GlobalOptions
    @Argument(help: "The service, as NAME or services/NAME.") var service: String
    @OptionGroup var deploy: DeployOptions

    func run() async throws {
        try await deploy.run(global: global, reference: service, kind: .service)
    }
}
