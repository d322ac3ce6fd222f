import ArgumentParser
import SlipwayCore

struct ListServices: AsyncParsableCommand {
    static let configuration = CommandConfiguration(commandName: "list-services", abstract: "List the services under services/.")

    @OptionGroup var global: GlobalOptions
    @Flag(help: "Print JSON.") var json = false

    func run() async throws {
        let workspace = try global.loadComponents()
        try ComponentListing(components: workspace.services).print(json: json)
    }
}
