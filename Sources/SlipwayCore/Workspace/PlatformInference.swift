import Foundation

/// Technology and target platform inferred from the files in a component's folder,
/// for components whose Makefile does not say.
public enum PlatformInference {
    public static func technology(in directory: URL) -> String {
        technology(in: ComponentFolder(directory))
    }

    static func technology(in folder: ComponentFolder) -> String {
        let has = folder.fileExists
        if has("package.json") { return "nodejs" }
        if has("requirements.txt") || has("pyproject.toml") { return "python" }
        if has("Dockerfile") || has("deploy/Dockerfile") { return "docker" }
        if has("Package.swift") { return "swift" }
        if has("index.html") { return "static" }
        return "unknown"
    }

    public static func target(in directory: URL) -> String {
        target(in: ComponentFolder(directory))
    }

    static func target(in folder: ComponentFolder) -> String {
        if let text = folder.text(of: "wrangler.toml") {
            return text.contains("pages_build_output_dir") ? "cloudflare-pages" : "cloudflare-worker"
        }
        for candidate in ["ecs-task-definition.json", "deploy/ecs-task-definition.json"] where folder.fileExists(candidate) {
            return "aws-ecs"
        }
        return "unknown"
    }
}
