import Foundation

/// What `slipway demo --cloud` runs its platform stand-ins with: the Python environment that holds
/// moto (`moto_server`, its `python3` and the `aws` CLI, as scripts/setup-deps.sh installs them
/// into the checkout's `.venv/`) and the two stand-in scripts, kept with the tests that use them.
public struct DemoCloudTools: Sendable, Equatable {
    /// The folder of `moto_server`, `python3` and `aws`: the agent needs `aws` on its PATH.
    public var bin: URL
    /// `Tests/Standins/moto/launcher.py`: moto's server as ECS behaves (a new primary deployment per update).
    public var motoLauncher: URL
    /// `Tests/Standins/cloudflare/standin.py`: a stand-in for Cloudflare's API, not Cloudflare.
    public var cloudflareStandin: URL

    public var python: URL { bin.appendingPathComponent("python3") }

    /// `moto_server` in the checkout's `.venv/bin` first (the moto version the launcher is written
    /// for, as scripts/setup-deps.sh pins it; another one on PATH may lack what it imports), else
    /// on PATH; the scripts in
    /// `$SLIPWAY_STANDINS_DIR`, else the checkout's `Tests/Standins`. Refused with what to run when
    /// one is missing.
    public static func locate(
        environment: [String: String] = ProcessInfo.processInfo.environment, checkout: URL = DemoWorkspace.checkout
    ) throws(SlipwayError) -> DemoCloudTools {
        let manager = FileManager.default
        let folders = [checkout.appendingPathComponent(".venv/bin")]
            + (environment["PATH"] ?? "").split(separator: ":").map { URL(fileURLWithPath: String($0)) }
        let standins = environment["SLIPWAY_STANDINS_DIR"].map { URL(fileURLWithPath: $0) }
            ?? checkout.appendingPathComponent("Tests/Standins")
        let found = folders.first { folder in
            ["moto_server", "python3", "aws"].allSatisfy { manager.isExecutableFile(atPath: folder.appendingPathComponent($0).path) }
        }
        guard let bin = found else {
            throw .usage("slipway demo --cloud needs moto (PyPI moto[server]) and the aws CLI in a Python environment: "
                + "run 'make demo-cloud' (scripts/setup-deps.sh demo-cloud installs them into .venv/)")
        }
        let tools = DemoCloudTools(
            bin: bin, motoLauncher: standins.appendingPathComponent("moto/launcher.py"),
            cloudflareStandin: standins.appendingPathComponent("cloudflare/standin.py"))
        for script in [tools.motoLauncher, tools.cloudflareStandin] where !manager.fileExists(atPath: script.path) {
            throw .usage("slipway demo --cloud cannot find \(script.path): set SLIPWAY_STANDINS_DIR to Slipway's Tests/Standins folder")
        }
        return tools
    }
}
