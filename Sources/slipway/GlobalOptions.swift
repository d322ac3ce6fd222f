import ArgumentParser
import Foundation
import SlipwayCore

/// Options every command takes: where the workspace and its store are.
struct GlobalOptions: ParsableArguments {
    @Option(name: .long, help: "The workspace folder (default: the nearest folder upward with slipway.yml, apps/ or services/).")
    var workspace: String?

    @Option(name: .long, help: "The event store file (default: <workspace>/.slipway/state.db).")
    var state: String?

    func openEngine(origin: String = "cli", output: @escaping @Sendable (String) -> Void = { line in print(line) })
        async throws(SlipwayError) -> Engine
    {
        let engine = try await Engine.open(
            workspace: workspace.map { URL(fileURLWithPath: $0) }, state: state.map { URL(fileURLWithPath: $0) },
            origin: origin, output: output)
        try engine.store.reapInterruptedRuns()
        return engine
    }

    /// For commands that print JSON: engine progress goes to stderr so stdout stays parseable.
    func openEngine(json: Bool) async throws(SlipwayError) -> Engine {
        guard json else { return try await openEngine() }
        return try await openEngine(output: { line in FileHandle.standardError.write(Data((line + "\n").utf8)) })
    }
}
