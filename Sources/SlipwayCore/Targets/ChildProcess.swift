import Foundation
import Subprocess
import SystemPackage

#if canImport(Glibc)
import Glibc
#endif

/// Runs a stage's command in its own process group, streaming each output line (standard
/// output and error merged) as it comes, and stopping the whole group when cancelled.
public enum ChildProcess {
    /// Seconds between SIGTERM and SIGKILL when a cancelled command does not stop.
    public static let stopGracePeriod: Duration = .seconds(5)

    /// Runs `command` to its end and returns its exit status (128 + signal when killed).
    public static func run(
        _ command: StageCommand, cancellation: CancellationFlag, onStart: @escaping @Sendable (Int32) -> Void = { _ in },
        onLine: @escaping @Sendable (String) -> Void
    ) async throws(SlipwayError) -> Int32 {
        var options = PlatformOptions()
        // A group of its own, so cancelling stops the recipe's children too.
        options.processGroupID = 0
        var environment: [Environment.Key: String?] = [:]
        for (key, value) in command.environment { environment[Environment.Key(stringLiteral: key)] = value }
        let startingFrom: Environment
        if let base = command.baseEnvironment {
            var merged: [Environment.Key: String] = [:]
            for (key, value) in base { merged[Environment.Key(stringLiteral: key)] = value }
            for (key, value) in environment { merged[key] = value }
            startingFrom = .custom(merged)
        } else {
            startingFrom = .inherit.updating(environment)
        }
        do {
            let result = try await Subprocess.run(
                .name(command.executable),
                arguments: Arguments(command.arguments),
                environment: startingFrom,
                workingDirectory: FilePath(command.directory.path),
                platformOptions: options,
                input: .none,
                output: .sequence,
                error: .combinedWithOutput
            ) { execution in
                let pid = execution.processIdentifier.value
                onStart(pid)
                let watcher = Task {
                    while !Task.isCancelled && !cancellation.isSet {
                        try? await Task.sleep(for: .milliseconds(100))
                    }
                    guard cancellation.isSet else { return }
                    kill(-pid, SIGTERM)
                    try? await Task.sleep(for: stopGracePeriod)
                    kill(-pid, SIGKILL)
                }
                defer { watcher.cancel() }
                var lines = OutputLines()
                for try await buffer in execution.standardOutput {
                    for line in buffer.withUnsafeBytes({ lines.lines(in: $0) }) { onLine(line) }
                }
                for line in lines.rest() { onLine(line) }
            }
            switch result.terminationStatus {
            case .exited(let code): return code
            case .signaled(let signal): return 128 + signal
            }
        } catch let error as SubprocessError {
            throw SlipwayError(.cannotRun(command: command.executable, problem: "\(error)"))
        } catch {
            throw SlipwayError(.cannotRun(command: command.executable, problem: "\(error)"))
        }
    }
}
