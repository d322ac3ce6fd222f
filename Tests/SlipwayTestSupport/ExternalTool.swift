import Foundation

/// The external programs some tests run (lcov, gcovr, coverage, semgrep, check-jsonschema, tmux,
/// Python's prometheus_client ...). `make test` installs them (scripts/setup-deps.sh: Debian
/// packages, and the Python tools in .venv/, first on PATH); a test run without them fails with a
/// line naming the missing tool rather than with `env`'s exit 127.
public enum ExternalTool {
    /// A required tool is missing; its description is the line the test fails with.
    public struct Missing: Error, CustomStringConvertible {
        public let description: String
    }

    /// The executable `name` as found on PATH, or nil.
    public static func path(_ name: String) -> String? {
        let path = ProcessInfo.processInfo.environment["PATH"] ?? ""
        return path.split(separator: ":").map { "\($0)/\(name)" }
            .first { FileManager.default.isExecutableFile(atPath: $0) }
    }

    /// Throws `Missing` ("lcov is not on PATH: run make test, which installs it") unless every
    /// tool is on PATH; returns the path of the first.
    @discardableResult
    public static func require(_ names: String...) throws -> String {
        var found: [String] = []
        for name in names {
            guard let path = path(name) else {
                throw Missing(description: "\(name) is not on PATH: run make test, which installs it")
            }
            found.append(path)
        }
        return found.first ?? ""
    }

    /// Throws `Missing` unless the `python3` on PATH imports `module` (`make test` installs the
    /// tests' Python modules into .venv/, whose python3 comes first on its PATH).
    public static func requirePython(module: String) throws {
        let python = try require("python3")
        let process = Process()
        process.executableURL = URL(fileURLWithPath: python)
        process.arguments = ["-c", "import \(module)"]
        process.standardOutput = FileHandle.nullDevice
        process.standardError = FileHandle.nullDevice
        try process.run()
        process.waitUntilExit()
        guard process.terminationStatus == 0 else {
            throw Missing(description:
                "Python's \(module) is not importable by \(python): run make test, which installs it into .venv/")
        }
    }
}
