import ArgumentParser
import SlipwayCore

/// What `test-app` and `test-service` share: run one component's tests, exit 1 when they fail.
enum TestRun {
    static func run(global: GlobalOptions, reference: String, kind: ComponentKind) async throws {
        let engine = try await global.openEngine(naming: reference)
        let cancellation = CancellationFlag()
        SignalTrap.cancel(cancellation)
        let result = try await TestSuite(engine: engine).test(reference, kind: kind, cancellation: cancellation)
        if !result.succeeded { throw ExitCode(1) }
    }
}
