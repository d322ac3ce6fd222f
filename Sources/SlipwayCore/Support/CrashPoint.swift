import Foundation

/// The test hook for a process that dies at a named step, as a kill -9 from outside would:
/// `SLIPWAY_CRASH_AT=<step>` names the step. With a marker folder it fires once per folder, so
/// the process that takes over (which inherits the variable) gets past the step.
public struct CrashPoint: Sendable {
    private let step: String?
    private let markers: URL?

    public init(environment: [String: String] = ProcessInfo.processInfo.environment, onceIn markers: URL? = nil) {
        step = environment["SLIPWAY_CRASH_AT"]
        self.markers = markers
    }

    /// Kills this process with SIGKILL when `step` is the one named.
    public func reach(_ step: String) {
        guard self.step == step else { return }
        if let markers {
            let marker = markers.appendingPathComponent("crashed-at-\(step)").path
            guard !FileManager.default.fileExists(atPath: marker) else { return }
            _ = FileManager.default.createFile(atPath: marker, contents: nil)
        }
        kill(getpid(), SIGKILL)
    }
}
