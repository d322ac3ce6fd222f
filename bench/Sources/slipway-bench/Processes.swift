import Foundation

let sqlite3Path = ["/usr/bin/sqlite3", "/usr/local/bin/sqlite3", "/bin/sqlite3"]
    .first { FileManager.default.isExecutableFile(atPath: $0) }

/// Runs `executable` with `arguments`, stdin from `input` (a file), stdout captured; returns
/// the wall time of the whole process and its stdout.
@discardableResult
func runProcess(_ executable: String, _ arguments: [String], input: URL? = nil) throws -> (seconds: Double, output: String) {
    let process = Process()
    process.executableURL = URL(fileURLWithPath: executable)
    process.arguments = arguments
    if let input {
        guard let handle = FileHandle(forReadingAtPath: input.path) else { throw BenchError("cannot read \(input.path)") }
        process.standardInput = handle
    } else {
        process.standardInput = FileHandle.nullDevice
    }
    let pipe = Pipe()
    process.standardOutput = pipe
    let start = now()
    try process.run()
    let data = pipe.fileHandleForReading.readDataToEndOfFile()
    process.waitUntilExit()
    let elapsed = seconds(since: start)
    guard process.terminationStatus == 0 else {
        throw BenchError("\(executable) \(arguments.joined(separator: " ")) exited with \(process.terminationStatus)")
    }
    return (elapsed, String(decoding: data, as: UTF8.self))
}

func ownExecutable() -> String {
    (try? FileManager.default.destinationOfSymbolicLink(atPath: "/proc/self/exe")) ?? CommandLine.arguments[0]
}
