import ArgumentParser
import SlipwayCore

struct TestApp: AsyncParsableCommand {
    static let configuration = CommandConfiguration(commandName: "test-app", abstract: "Run an app's tests (make test).")

    @OptionGroup var global: GlobalOptions
    @Argument(help: "The app, as NAME or apps/NAME.") var app: String

    func run() async throws {
        try await TestRun.run(global: global, reference: app, kind: .app)
    }
}
