import Foundation

/// The parts of a `package.json` that state workspace dependencies: its name and what it depends on.
struct PackageManifest: Sendable, Equatable {
    var name: String?
    /// Dependency name to its version spec, over every kind of dependency.
    var dependencies: [String: String]

    static func load(from directory: URL) -> PackageManifest? {
        FileManager.default.contents(atPath: directory.appendingPathComponent("package.json").path).flatMap(Self.init(json:))
    }

    /// The manifest in `data`, or nil when that is not a JSON object.
    init?(json data: Data) {
        guard let object = try? JSONSerialization.jsonObject(with: data) as? [String: Any] else { return nil }
        var dependencies: [String: String] = [:]
        for key in ["dependencies", "devDependencies", "peerDependencies", "optionalDependencies"] {
            for (name, spec) in object[key] as? [String: Any] ?? [:] {
                dependencies[name] = spec as? String ?? ""
            }
        }
        self.init(name: object["name"] as? String, dependencies: dependencies)
    }

    init(name: String?, dependencies: [String: String]) {
        self.name = name
        self.dependencies = dependencies
    }

    /// The package.json files under `packages/` (at most two levels down, for `@scope/name`),
    /// by package name, with their folder relative to the workspace.
    static func workspacePackages(in root: URL) -> [String: (folder: String, manifest: PackageManifest)] {
        var result: [String: (folder: String, manifest: PackageManifest)] = [:]
        let manager = FileManager.default
        func visit(_ relative: String, depth: Int) {
            let directory = root.appendingPathComponent(relative)
            if let manifest = load(from: directory), let name = manifest.name {
                result[name] = (relative, manifest)
                return
            }
            guard depth < 2, let names = try? manager.contentsOfDirectory(atPath: directory.path) else { return }
            for name in names.sorted() where !name.hasPrefix(".") && name != "node_modules" {
                var isDirectory: ObjCBool = false
                if manager.fileExists(atPath: directory.appendingPathComponent(name).path, isDirectory: &isDirectory),
                   isDirectory.boolValue {
                    visit("\(relative)/\(name)", depth: depth + 1)
                }
            }
        }
        visit("packages", depth: 0)
        return result
    }

    /// The same as `workspacePackages(in:)`, from the manifests of a commit's tree by folder
    /// (`packages/ui`): a folder whose manifest has a name is a package, and nothing under it is.
    static func workspacePackages(from manifests: [String: PackageManifest]) -> [String: (folder: String, manifest: PackageManifest)] {
        var result: [String: (folder: String, manifest: PackageManifest)] = [:]
        for (folder, manifest) in manifests.sorted(by: { $0.key < $1.key }) {
            guard let name = manifest.name else { continue }
            let parts = folder.split(separator: "/")
            guard parts.first == "packages", parts.count <= 3,
                  !parts.dropFirst().contains(where: { $0.hasPrefix(".") || $0 == "node_modules" }),
                  !(1..<parts.count).contains(where: { manifests[parts[..<$0].joined(separator: "/")]?.name != nil })
            else { continue }
            result[name] = (folder, manifest)
        }
        return result
    }
}
