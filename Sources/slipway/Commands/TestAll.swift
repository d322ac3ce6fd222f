import ArgumentParser
import SlipwayCore

struct TestAll: AsyncParsableCommand {
    static let configuration = CommandConfiguration(commandName: "test-all", abstract: "Run the tests of every app and service.")

    @OptionGroup var global: GlobalOptions

    func run() async throws {
        let engine = try await global.openEngine()
        let cancellation = CancellationFlag()
        SignalTrap.cancel(cancellation)
        let results = try await TestSuite(engine: engine).testAll(cancellation: cancellation)
        let failed = results.filter { !$0.value.succeeded }.keys.sorted()
        print("test-all: \(results.count - failed.count) components passed, \(failed.count) failed" + (failed.isEmpty ? "" : ": \(failed.joined(separator: ", "))"))
        if !failed.isEmpty { throw ExitCode(1) }
    }
}
