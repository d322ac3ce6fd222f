import Foundation
import Logging

/// The command line's diagnostics on stderr, one line each and read like its errors
/// (`slipway: warning: ...`); the agent's go to its log file with a time (`StreamLogHandler`).
struct DiagnosticLogHandler: LogHandler {
    var logLevel: Logger.Level
    var metadata: Logger.Metadata = [:]

    subscript(metadataKey key: String) -> Logger.Metadata.Value? {
        get { metadata[key] }
        set { metadata[key] = newValue }
    }

    func log(event: LogEvent) {
        let prefix = event.level >= .warning ? "slipway: \(event.level): " : "slipway: "
        FileHandle.standardError.write(Data("\(prefix)\(event.message)\n".utf8))
    }
}
