import Foundation
#if canImport(FoundationNetworking)
import FoundationNetworking
#endif

/// A python3 server for one test: a stand-in API (`Tests/Standins/NAME/standin.py`, python3's
/// standard library only) or moto, on a free loopback port of its own. It binds port 0 and prints the port
/// the kernel gave it, so there is no race for a port, and it exits when its standard input
/// closes, so it never outlives the test process.
public final class StandinProcess: @unchecked Sendable {
    public let port: Int
    private let process: Process
    private let input: Pipe

    /// `Tests/Standins/NAME/standin.py` with `arguments`.
    public convenience init(_ name: String, arguments: [String]) throws {
        let script = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
            .appendingPathComponent("Standins/\(name)/standin.py")
        try self.init(label: "the \(name) stand-in", python: [script.path] + arguments, errors: .standardError)
    }

    /// python3 with `python` as its arguments, its standard error to `errors`; `label` names it
    /// when it does not start.
    public init(label: String, python: [String], errors: FileHandle) throws {
        process = Process()
        process.executableURL = URL(fileURLWithPath: try ExternalTool.require("python3"))
        process.arguments = python
        input = Pipe()
        let output = Pipe()
        process.standardInput = input
        process.standardOutput = output
        process.standardError = errors
        try process.run()
        var line = Data()
        while !line.contains(UInt8(ascii: "\n")) {
            let chunk = output.fileHandleForReading.availableData
            if chunk.isEmpty { break }
            line.append(chunk)
        }
        let text = String(decoding: line, as: UTF8.self).trimmingCharacters(in: .whitespacesAndNewlines)
        guard let port = Int(text.replacingOccurrences(of: "port ", with: "")) else {
            try? input.fileHandleForWriting.close()
            process.terminate()
            process.waitUntilExit()
            throw ExternalTool.Missing(description: "\(label) did not start: \(text)")
        }
        self.port = port
    }

    deinit { stop() }

    public var isRunning: Bool { process.isRunning }

    /// Stops the stand-in and waits for it to exit.
    public func stop() {
        guard process.isRunning else { return }
        try? input.fileHandleForWriting.close()
        process.terminate()
        process.waitUntilExit()
    }

    /// The JSON a `/__standin/` hook answers.
    public func control(_ method: String, _ hook: String, _ body: Any?) throws -> Any {
        var request = URLRequest(url: URL(string: "http://127.0.0.1:\(port)/__standin/\(hook)")!, timeoutInterval: 30)
        request.httpMethod = method
        if let body { request.httpBody = try JSONSerialization.data(withJSONObject: body) }
        let result = Result<Data, any Error>.waiting(for: request)
        return try JSONSerialization.jsonObject(with: try result.get(), options: [.fragmentsAllowed])
    }
}
