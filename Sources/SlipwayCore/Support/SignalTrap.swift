import Dispatch
import Foundation

/// Turns SIGINT and SIGTERM into a clean cancel of the running operation; a second signal
/// exits at once.
public enum SignalTrap {
    nonisolated(unsafe) private static var sources: [any DispatchSourceSignal] = []

    public static func cancel(_ flag: CancellationFlag) {
        for signalNumber in [SIGINT, SIGTERM] {
            signal(signalNumber, SIG_IGN)
            let source = DispatchSource.makeSignalSource(signal: signalNumber, queue: .global())
            source.setEventHandler {
                if flag.isSet { exit(128 + signalNumber) }
                FileHandle.standardError.write(Data("slipway: stopping (signal \(signalNumber)); again to quit at once\n".utf8))
                flag.set()
            }
            source.resume()
            sources.append(source)
        }
    }
}
