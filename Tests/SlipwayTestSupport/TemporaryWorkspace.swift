import Foundation
import SlipwayCore

/// A workspace folder of a test's own, removed when the test is done.
public final class TemporaryWorkspace: @unchecked Sendable {
    public let root: URL

    public init(files: [String: String] = [:], function: String = #function) throws {
        let name = function.filter { $0.isLetter || $0.isNumber }.prefix(40)
        root = FileManager.default.temporaryDirectory
            .appendingPathComponent("slipway-test-\(name)-\(UUID().uuidString.prefix(8))")
            .resolvingSymlinksInPath()
        try FileManager.default.createDirectory(at: root, withIntermediateDirectories: true)
        try write(files)
    }

    deinit {
        try? FileManager.default.removeItem(at: root)
    }

    public func write(_ files: [String: String]) throws {
        for (path, text) in files {
            let url = root.appendingPathComponent(path)
            try FileManager.default.createDirectory(at: url.deletingLastPathComponent(), withIntermediateDirectories: true)
            try text.write(to: url, atomically: true, encoding: .utf8)
        }
    }

    public func makeFolder(_ path: String) throws {
        try FileManager.default.createDirectory(at: root.appendingPathComponent(path), withIntermediateDirectories: true)
    }

    public func read(_ path: String) throws -> String {
        try String(contentsOf: root.appendingPathComponent(path), encoding: .utf8)
    }

    public var statePath: URL { root.appendingPathComponent(".slipway/state.db") }

    /// Runs git in the workspace and returns its standard output.
    @discardableResult
    public func git(_ arguments: String...) throws -> String {
        try run("/usr/bin/env", ["git"] + arguments).output
    }

    /// Makes the workspace a git repository with everything committed.
    public func commitAll(_ message: String = "commit") throws {
        if !FileManager.default.fileExists(atPath: root.appendingPathComponent(".git").path) {
            try git("init", "-q", "-b", "main")
            try git("config", "user.email", "test@slipway.local")
            try git("config", "user.name", "Slipway Test")
            try write([".gitignore": ".slipway/\n"])
        }
        try git("add", "-A")
        try git("commit", "-q", "--allow-empty", "-m", message)
    }

    /// Runs a program to completion, returning its exit status and combined output.
    public func run(_ executable: String, _ arguments: [String], environment: [String: String] = [:]) throws -> (status: Int32, output: String) {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: executable)
        process.arguments = arguments
        process.currentDirectoryURL = root
        process.environment = ProcessInfo.processInfo.environment.merging(environment) { _, new in new }
        let pipe = Pipe()
        process.standardOutput = pipe
        process.standardError = pipe
        try process.run()
        let data = pipe.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        return (process.terminationStatus, String(decoding: data, as: UTF8.self))
    }
}
