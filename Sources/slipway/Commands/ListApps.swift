import ArgumentParser
import SlipwayCore

struct ListApps: AsyncParsableCommand {
    static let configuration = CommandConfiguration(commandName: "list-apps", abstract: "List the apps under apps/.")

    @OptionGroup var global: GlobalOptions
    @Flag(help: "Print JSON.") var json = false

    func run() async throws {
        let workspace = try global.loadComponents()
        try ComponentListing(components: workspace.apps).print(json: json)
    }
}
