import Foundation
import SlipwayCore
import Testing

/// `slipway demo --cloud` finds moto's Python environment in the checkout's `.venv` or on PATH,
/// and says in one line what to run when there is none (exit 2).
@Suite struct DemoCloudToolsTests {
    /// A folder holding executables named `names`.
    func folder(with names: [String]) throws -> URL {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("slipway-tools-\(UUID().uuidString.prefix(8))")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        for name in names {
            _ = FileManager.default.createFile(atPath: folder.appendingPathComponent(name).path, contents: Data("#!/bin/sh\n".utf8),
                                           attributes: [.posixPermissions: 0o755])
        }
        return folder
    }

    @Test func withoutMotoItSaysWhatToRunAsAUsageError() throws {
        let empty = try folder(with: ["python3", "aws"])
        defer { try? FileManager.default.removeItem(at: empty) }
        #expect {
            try DemoCloudTools.locate(environment: ["PATH": empty.path], checkout: empty)
        } throws: { error in
            guard let error = error as? SlipwayError else { return false }
            return error.exitCode == 2 && !error.message.contains("\n")
                && error.message.contains("needs moto") && error.message.contains("run 'make demo-cloud'")
        }
    }

    @Test func theFolderOnPathWithMotoPythonAndTheAWSCLIWinsAndTheScriptsComeFromTheStandinsFolder() throws {
        let tools = try folder(with: ["moto_server", "python3", "aws"])
        let standins = try folder(with: [])
        defer { [tools, standins].forEach { try? FileManager.default.removeItem(at: $0) } }
        for script in ["moto/launcher.py", "cloudflare/standin.py"] {
            let file = standins.appendingPathComponent(script)
            try FileManager.default.createDirectory(at: file.deletingLastPathComponent(), withIntermediateDirectories: true)
            _ = FileManager.default.createFile(atPath: file.path, contents: Data())
        }
        let found = try DemoCloudTools.locate(
            environment: ["PATH": "/nonexistent:\(tools.path)", "SLIPWAY_STANDINS_DIR": standins.path], checkout: standins)
        #expect(found.bin.path == tools.path)
        #expect(found.motoLauncher.path == standins.appendingPathComponent("moto/launcher.py").path)

        let noScripts = try folder(with: [])
        defer { try? FileManager.default.removeItem(at: noScripts) }
        #expect(throws: SlipwayError.self) {
            try DemoCloudTools.locate(environment: ["PATH": tools.path, "SLIPWAY_STANDINS_DIR": noScripts.path], checkout: noScripts)
        }
    }

    /// Another moto on PATH (a global pip install, pyenv's shims) may lack what the launcher
    /// imports: the checkout's pinned `.venv` wins.
    @Test func theCheckoutsVirtualenvWinsOverAnotherMotoOnPath() throws {
        let elsewhere = try folder(with: ["moto_server", "python3", "aws"])
        let checkout = try folder(with: [])
        defer { [elsewhere, checkout].forEach { try? FileManager.default.removeItem(at: $0) } }
        let venv = checkout.appendingPathComponent(".venv/bin")
        try FileManager.default.createDirectory(at: venv, withIntermediateDirectories: true)
        for tool in ["moto_server", "python3", "aws"] {
            _ = FileManager.default.createFile(atPath: venv.appendingPathComponent(tool).path, contents: Data(), attributes: [.posixPermissions: 0o755])
        }
        for script in ["moto/launcher.py", "cloudflare/standin.py"] {
            let file = checkout.appendingPathComponent("Tests/Standins").appendingPathComponent(script)
            try FileManager.default.createDirectory(at: file.deletingLastPathComponent(), withIntermediateDirectories: true)
            _ = FileManager.default.createFile(atPath: file.path, contents: Data())
        }
        let found = try DemoCloudTools.locate(environment: ["PATH": elsewhere.path], checkout: checkout)
        #expect(found.bin.path == venv.path)
    }
}
