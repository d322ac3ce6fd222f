import ArgumentParser
import SlipwayCore

struct TestService: AsyncParsableCommand {
    static let configuration = CommandConfiguration(commandName: "test-service", abstract: "Run a service's tests (make test).")

    @OptionGroup var global: GlobalOptions
    @Argument(help: "The service, as NAME or services/NAME.") var service: String

    func run() async throws {
        try await TestRun.run(global: global, reference: service, kind: .service)
    }
}
