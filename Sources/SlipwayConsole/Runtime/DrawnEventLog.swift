import Foundation
import SlipwayCore

/// Bench hook: with `SLIPWAY_BENCH_CONSOLE_DRAWN` naming a file, each frame drawn from a state
/// holding a newer event than the frames before appends `{"id":N,"drawn":unix seconds}` to it,
/// so `bench/follow_latency.py` times an append to the consoles' frames without reading screens.
struct DrawnEventLog {
    static let variable = "SLIPWAY_BENCH_CONSOLE_DRAWN"

    private let file: FileHandle
    private var newest: Int64 = 0

    init?(environment: [String: String] = ProcessInfo.processInfo.environment) {
        guard let path = environment[Self.variable], !path.isEmpty else { return nil }
        guard FileManager.default.createFile(atPath: path, contents: nil), let file = FileHandle(forWritingAtPath: path) else {
            return nil
        }
        self.file = file
    }

    /// Records the newest event of the frame just drawn from `state`, when it is new.
    mutating func drew(_ state: ConsoleState) {
        guard let id = state.snapshot.events.first?.id, id > newest else { return }
        newest = id
        let line = "{\"id\":\(id),\"drawn\":\(String(format: "%.6f", Date().timeIntervalSince1970))}\n"
        file.write(Data(line.utf8))
    }
}
