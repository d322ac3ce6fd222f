import Foundation

/// The canary's progress kept in the store's record as JSON.
extension CanaryRecord {
    public init(
        component: String, environment: String, runID: String, version: String, canaryColor: String, stableColor: String,
        progress: CanaryProgress, updatedAt: Date
    ) {
        let encoder = JSONEncoder()
        encoder.outputFormatting = .sortedKeys
        self.init(
            component: component, environment: environment, runID: runID, version: version, canaryColor: canaryColor,
            stableColor: stableColor,
            progress: (try? encoder.encode(progress)).map { String(decoding: $0, as: UTF8.self) } ?? "{}", updatedAt: updatedAt)
    }

    /// The saved progress; nil if it was written by an incompatible Slipway.
    public var decodedProgress: CanaryProgress? {
        try? JSONDecoder().decode(CanaryProgress.self, from: Data(progress.utf8))
    }
}
