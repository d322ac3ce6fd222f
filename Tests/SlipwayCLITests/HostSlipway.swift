import Foundation
import SlipwayCore
import SlipwayTestSupport
import Testing

/// The built `slipway` binary run on one host of a `HostLab`: in the host's network namespace,
/// in its own checkout of the test monorepo (a `git clone`, as a real host has), with
/// `SLIPWAY_HOST` set to the host's name and the team's store.
struct HostSlipway {
    let lab: HostLab
    let host: HostLab.Host
    /// The host's checkout, removed with it.
    let checkout: TemporaryWorkspace
    let environment: [String: String]

    /// Clones `origin` into a folder of the host's own; `store` is the shared store's URL, or
    /// nil for the checkout's embedded store.
    init(lab: HostLab, host: HostLab.Host, origin: TemporaryWorkspace, store: String?) throws {
        self.lab = lab
        self.host = host
        checkout = try TemporaryWorkspace(function: "host \(host.name)")
        let cloned = try checkout.run("/usr/bin/env", ["git", "clone", "-q", origin.root.path, checkout.root.path])
        guard cloned.status == 0 else { throw SlipwayError.failure("git clone for \(host.name): \(cloned.output)") }
        var environment = ProcessInfo.processInfo.environment.merging(["SLIPWAY_ACTOR": "tester"]) { _, new in new }
        environment.removeValue(forKey: "CI")
        environment[StoreURL.variable] = store
        self.environment = environment
    }

    /// Runs `slipway ARGUMENTS` on the host to its end.
    @discardableResult
    func callAsFunction(_ arguments: String...) throws -> SlipwayProcess.Result {
        let result = try lab.run(on: host, SlipwayProcess.binary.path, arguments, environment: environment, directory: checkout.root)
        return SlipwayProcess.Result(status: result.status, stdout: result.output, stderr: result.errors)
    }

    /// Starts `slipway ARGUMENTS` on the host in the background, its output to `log`.
    func start(_ arguments: String..., log: URL) throws -> pid_t {
        try lab.start(on: host, SlipwayProcess.binary.path, arguments, environment: environment, directory: checkout.root, log: log)
    }

    /// Runs `slipway ARGUMENTS --json` on the host and decodes its output.
    func json(_ arguments: String...) throws -> Any {
        let result = try lab.run(on: host, SlipwayProcess.binary.path, arguments + ["--json"], environment: environment, directory: checkout.root)
        guard result.status == 0 else {
            throw SlipwayError.failure("\(host.name): slipway \(arguments.joined(separator: " ")) --json exited \(result.status): \(result.errors)")
        }
        return try JSONSerialization.jsonObject(with: Data(result.output.utf8))
    }

    /// Brings the checkout to the origin's newest commit.
    func pull() throws {
        let pulled = try checkout.run("/usr/bin/env", ["git", "pull", "-q", "--ff-only"])
        guard pulled.status == 0 else { throw SlipwayError.failure("git pull for \(host.name): \(pulled.output)") }
    }

    /// `agent status --json` on the host.
    func agentStatus() throws -> [String: Any] {
        try #require(try json("agent", "status") as? [String: Any])
    }

    /// The port of the host's router for the only route it has.
    func routerPort() throws -> Int? {
        let url = (try agentStatus()["routes"] as? [[String: Any]])?.first?["url"] as? String
        return url.flatMap { Int($0.split(separator: ":").last ?? "") }
    }
}
