import Foundation

/// Technology and target platform inferred from the files in a component's folder,
/// for components whose Makefile does not say.
public enum PlatformInference {
    public static func technology(in directory: URL) -> String {
        let has = { (name: String) in FileManager.default.fileExists(atPath: directory.appendingPathComponent(name).path) }
        if has("package.json") { return "nodejs" }
        if has("requirements.txt") || has("pyproject.toml") { return "python" }
        if has("Dockerfile") || has("deploy/Dockerfile") { return "docker" }
        if has("Package.swift") { return "swift" }
        if has("index.html") { return "static" }
        return "unknown"
    }

    public static func target(in directory: URL) -> String {
        let wrangler = directory.appendingPathComponent("wrangler.toml")
        if let text = try? String(contentsOf: wrangler, encoding: .utf8) {
            return text.contains("pages_build_output_dir") ? "cloudflare-pages" : "cloudflare-worker"
        }
        for candidate in ["ecs-task-definition.json", "deploy/ecs-task-definition.json"]
        where FileManager.default.fileExists(atPath: directory.appendingPathComponent(candidate).path) {
            return "aws-ecs"
        }
        return "unknown"
    }
}
