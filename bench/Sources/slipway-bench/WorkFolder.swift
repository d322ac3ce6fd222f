import ArgumentParser
import Foundation

/// `--work DIR`: the folder the benchmark writes in; without it a fresh one under /tmp, removed at the end.
struct WorkFolder: ParsableArguments {
    @Option(help: "The folder to work in (default: a fresh one under /tmp, removed at the end).") var work: String?

    /// Runs `body` in the folder, and removes the folder afterwards if it was made here.
    func using<T>(_ body: (URL) throws -> T) throws -> T {
        if let work {
            let url = URL(fileURLWithPath: work)
            try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
            return try body(url)
        }
        var template = Array("/tmp/slipway-bench.XXXXXX".utf8CString)
        guard let pointer = mkdtemp(&template) else { throw BenchError("mkdtemp failed") }
        let url = URL(fileURLWithPath: String(cString: pointer))
        defer { try? FileManager.default.removeItem(at: url) }
        return try body(url)
    }
}
