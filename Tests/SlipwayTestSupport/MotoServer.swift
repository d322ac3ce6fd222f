import Foundation
#if canImport(FoundationNetworking)
import FoundationNetworking
#endif

/// moto's AWS API emulator (PyPI `moto[server]`, installed into .venv by `make test`), started on
/// a free loopback port of its own for one test and stopped when the test lets go of it; it also
/// exits when the test process dies (it reads its standard input until end of file), so no
/// process outlives the test. `aws(...)` runs the real `aws` CLI against it.
///
/// It runs through `Tests/Standins/moto/launcher.py`, which `slipway demo --cloud` runs too: it
/// makes moto's `update-service` start a new primary deployment as ECS does, and answers 403 to
/// a key starting `DENIED` or an action named in `denyFile` (the body AWS gives an unknown key).
public final class MotoServer: @unchecked Sendable {
    /// Actions (such as `ModifyListener`) to answer with 403, one per line; empty at first.
    public let denyFile: URL
    private let server: StandinProcess
    public var port: Int { server.port }

    public static let region = "eu-west-2"

    public init() throws {
        try ExternalTool.require("aws", "moto_server")
        try ExternalTool.requirePython(module: "moto")
        let scratch = FileManager.default.temporaryDirectory.appendingPathComponent("slipway-moto-\(UUID().uuidString.prefix(8))")
        try FileManager.default.createDirectory(at: scratch, withIntermediateDirectories: true)
        denyFile = scratch.appendingPathComponent("deny")
        let errors = scratch.appendingPathComponent("stderr")
        try Data().write(to: denyFile)
        _ = FileManager.default.createFile(atPath: errors.path, contents: nil)
        do {
            server = try StandinProcess(label: "moto", python: [Self.launcher.path, "--deny", denyFile.path], errors: try FileHandle(forWritingTo: errors))
        } catch {
            let stderr = (try? String(contentsOf: errors, encoding: .utf8)) ?? ""
            throw ExternalTool.Missing(description: "\(error) \(stderr.suffix(2000))")
        }
        try waitUntilAnswering()
    }

    deinit {
        stop()
        try? FileManager.default.removeItem(at: denyFile.deletingLastPathComponent())
    }

    /// The launcher, beside the Cloudflare stand-in.
    static let launcher = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .appendingPathComponent("Standins/moto/launcher.py")

    /// Stops moto and waits for it to exit.
    public func stop() { server.stop() }

    public var endpoint: String { "http://127.0.0.1:\(port)" }

    /// What the `aws` CLI and Slipway need to talk to this moto and nothing else: fake
    /// credentials, the region, the endpoint, and no configuration files of the machine.
    public var environment: [String: String] {
        [
            "AWS_ENDPOINT_URL": endpoint, "AWS_ACCESS_KEY_ID": "testing", "AWS_SECRET_ACCESS_KEY": "testing",
            "AWS_REGION": Self.region, "AWS_DEFAULT_REGION": Self.region, "AWS_CONFIG_FILE": "/nonexistent",
            "AWS_SHARED_CREDENTIALS_FILE": "/nonexistent", "AWS_PAGER": "",
        ]
    }

    /// Answers 403 to the named actions from now on.
    public func deny(_ actions: String...) throws {
        try actions.joined(separator: "\n").write(to: denyFile, atomically: true, encoding: .utf8)
    }

    /// Runs `aws ARGUMENTS --output json` against moto and returns its decoded answer (an empty
    /// dictionary for none); throws with the CLI's error output when it fails.
    @discardableResult
    public func aws(_ arguments: String...) throws -> [String: Any] {
        try aws(arguments)
    }

    @discardableResult
    public func aws(_ arguments: [String]) throws -> [String: Any] {
        try Self.aws(arguments, environment: environment)
    }

    /// Runs `aws ARGUMENTS --output json` with `environment` over this process's own (a moto
    /// started elsewhere, such as the cloud demo's); its decoded answer, as above.
    public static func aws(_ arguments: [String], environment: [String: String]) throws -> [String: Any] {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: try ExternalTool.require("aws"))
        process.arguments = arguments + ["--output", "json"]
        var variables = ProcessInfo.processInfo.environment.merging(environment) { _, new in new }
        variables.removeValue(forKey: "AWS_PROFILE")
        process.environment = variables
        let output = Pipe()
        let errorFile = FileManager.default.temporaryDirectory.appendingPathComponent("slipway-aws-\(UUID().uuidString.prefix(8))")
        _ = FileManager.default.createFile(atPath: errorFile.path, contents: nil)
        defer { try? FileManager.default.removeItem(at: errorFile) }
        process.standardOutput = output
        process.standardError = try FileHandle(forWritingTo: errorFile)
        process.standardInput = FileHandle.nullDevice
        try process.run()
        let data = output.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        guard process.terminationStatus == 0 else {
            let stderr = (try? String(contentsOf: errorFile, encoding: .utf8)) ?? ""
            throw AWSFailure(description: "aws \(arguments.prefix(2).joined(separator: " ")) failed: \(stderr)")
        }
        guard !data.isEmpty else { return [:] }
        return (try JSONSerialization.jsonObject(with: data)) as? [String: Any] ?? [:]
    }

    public struct AWSFailure: Error, CustomStringConvertible {
        public let description: String

        public init(description: String) {
            self.description = description
        }
    }

    /// Waits until moto answers its own API, generously: the machine is shared.
    private func waitUntilAnswering() throws {
        let url = URL(string: "\(endpoint)/moto-api/data.json")!
        let deadline = Date().addingTimeInterval(60)
        while Date() < deadline {
            if (try? Data(contentsOf: url)) != nil { return }
            guard server.isRunning else { break }
            usleep(100_000)
        }
        stop()
        throw ExternalTool.Missing(description: "moto on port \(port) never answered")
    }
}
