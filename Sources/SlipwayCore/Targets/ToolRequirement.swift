import Foundation
import Subprocess

/// A tool the workspace needs, and the command that proves it works (for Docker, `docker info`,
/// which needs a running engine, rather than `docker --version`, which does not).
public struct ToolRequirement: Sendable, Equatable, Codable {
    public var tool: String
    public var check: [String]
    /// Which components need it, or `workspace`.
    public var neededBy: [String]
    public var hint: String

    enum CodingKeys: String, CodingKey {
        case tool, check, neededBy = "needed_by", hint
    }

    /// What the workspace's technologies and targets need, each tool once.
    public static func requirements(for workspace: Workspace) -> [ToolRequirement] {
        var requirements = [
            ToolRequirement(tool: "make", check: ["make", "--version"], neededBy: ["workspace"], hint: "apt-get install make"),
            ToolRequirement(tool: "git", check: ["git", "--version"], neededBy: ["workspace"], hint: "apt-get install git"),
        ]
        func need(_ tool: String, _ check: [String], _ hint: String, by component: String) {
            if let index = requirements.firstIndex(where: { $0.tool == tool }) {
                requirements[index].neededBy.append(component)
            } else {
                requirements.append(ToolRequirement(tool: tool, check: check, neededBy: [component], hint: hint))
            }
        }
        for component in workspace.components {
            switch component.technology {
            case "nodejs":
                need("node", ["node", "--version"], "install Node.js (apt-get install nodejs npm)", by: component.name)
                need("npm", ["npm", "--version"], "install npm (apt-get install npm)", by: component.name)
            case "python": need("python3", ["python3", "--version"], "apt-get install python3", by: component.name)
            case "docker": need("docker", ["docker", "info"], "install Docker and start its engine", by: component.name)
            case "swift": need("swift", ["swift", "--version"], "install the Swift toolchain", by: component.name)
            default: break
            }
            switch component.target {
            // A Worker or Pages project Slipway deploys itself needs only Cloudflare's API, not wrangler.
            case "cloudflare-pages", "cloudflare-worker":
                guard !WorkersTarget.applies(to: component), !PagesTarget.applies(to: component) else { break }
                need("wrangler", ["wrangler", "--version"], "npm install -g wrangler", by: component.name)
            case "aws-ecs", "aws-lambda", "aws-s3":
                need("aws", ["aws", "--version"], "pip install awscli", by: component.name)
            default: break
            }
        }
        return requirements
    }

    /// Runs the check; nil when it passed, else what went wrong.
    public func problem() async -> String? {
        do {
            let result = try await Subprocess.run(
                .name(check[0]), arguments: Arguments(Array(check.dropFirst())), output: .discarded,
                error: .string(limit: 64 << 10))
            if case .exited(0) = result.terminationStatus { return nil }
            let firstLine = result.standardError.split(separator: "\n").first.map(String.init) ?? ""
            return "'\(check.joined(separator: " "))' failed\(firstLine.isEmpty ? "" : ": \(firstLine)")"
        } catch {
            return "\(tool) is not installed"
        }
    }
}
