import Foundation

/// The components of one commit as git's tree holds them, not as the working tree has them, with
/// only what change detection reads: folders, `slipway.yml` settings and `package.json` manifests
/// (no Makefiles, no platform inference).
struct CommitComponents: Sendable {
    /// The commit, resolved.
    var commit: String
    var components: [Component]
    var problems: [ComponentProblem]
    var graph: DependencyGraph
    var globalPaths: [String]

    /// The components of `revision` in the workspace at `root`, or nil when `revision` names no commit.
    /// Two git processes: `ls-tree` for the files, then `cat-file --batch` for the few it reads.
    static func read(_ revision: String, workspace root: URL) async throws(SlipwayError) -> CommitComponents? {
        let commit = "\(revision)^{commit}"
        // Every file under the component folders is listed: read as bytes, without the 16 MB cap of
        // text output, for monorepos of a few hundred thousand files.
        let listing = try await GitRepository.run(
            ["ls-tree", "-r", "-z", commit, "--", Workspace.configFileName, "apps", "services", "packages"], input: "", in: root)
        guard listing.status == 0 else { return nil }
        let tree = Listing(String(decoding: listing.output, as: UTF8.self))

        // Blobs by name, once each: components often share a file's content.
        let wanted = Set([tree.config].compactMap { $0 } + tree.settings.values + tree.manifests.values).sorted()
        let batch = try await GitRepository.run(
            ["cat-file", "--batch"], input: ([commit] + wanted).map { $0 + "\n" }.joined(), in: root)
        guard batch.status == 0 else {
            let line = batch.error.split(separator: "\n").first.map(String.init)
            throw SlipwayError(.commandFailed(command: "git cat-file", status: batch.status, firstLine: line))
        }
        let objects = try Self.objects(in: batch.output)
        guard let resolved = objects.first, resolved.type == "commit" else { return nil }
        let blobs = Dictionary(objects.dropFirst().map { ($0.name, $0.content) }) { first, _ in first }
        func text(_ blob: String?) -> String? { blob.flatMap { blobs[$0] }.map { String(decoding: $0, as: UTF8.self) } }

        var config = WorkspaceConfig()
        var overrides: [String: (key: ConfigLocation, node: ConfigNode)] = [:]
        if let configText = text(tree.config) {
            (config, overrides) = try WorkspaceConfig.read(configText, file: Workspace.configFileName)
        }
        let (components, problems) = try Workspace.components(
            apps: tree.folders(under: "apps"), services: tree.folders(under: "services"), overrides: overrides
        ) { name, kind, path throws(SlipwayError) in
            let settings = try Workspace.settings(
                path: path, config: config, override: overrides[name]?.node, ownText: text(tree.settings[path]))
            // Detection reads neither technology nor target: they stay as settings give them.
            return Component(
                name: name, kind: kind, path: path, directory: root.appendingPathComponent(path),
                technology: settings.technology ?? "unknown", target: settings.target ?? "unknown",
                makefile: nil, settings: settings)
        }
        var manifests: [String: PackageManifest] = [:]
        for component in components {
            manifests[component.name] = tree.manifests[component.path].flatMap { blobs[$0] }.flatMap { PackageManifest(json: Data($0)) }
        }
        var packageManifests: [String: PackageManifest] = [:]
        for (folder, blob) in tree.manifests where folder == "packages" || folder.hasPrefix("packages/") {
            packageManifests[folder] = blobs[blob].flatMap { PackageManifest(json: Data($0)) }
        }
        let graph = try DependencyGraph(
            components: components, manifests: manifests,
            packages: PackageManifest.workspacePackages(from: packageManifests))
        return CommitComponents(
            commit: resolved.name, components: components, problems: problems, graph: graph, globalPaths: config.globalPaths)
    }

    /// The files of `ls-tree -r -z` that matter: component folders, and the blobs of the
    /// configuration and manifests.
    struct Listing {
        var config: String?
        /// Component folder (`apps/web`) to its `slipway.yml` blob.
        var settings: [String: String] = [:]
        /// Folder (`apps/web`, `packages/ui`) to its `package.json` blob.
        var manifests: [String: String] = [:]
        var componentFolders: Set<String> = []

        init(_ output: String) {
            for entry in output.split(separator: "\0") {
                // "<mode> <type> <object>\t<path>"
                guard let tab = entry.firstIndex(of: "\t") else { continue }
                let path = entry[entry.index(after: tab)...]
                let object = String(entry[..<tab].split(separator: " ").last ?? "")
                if path == Workspace.configFileName {
                    config = object
                    continue
                }
                let parts = path.split(separator: "/")
                guard parts.count >= 2 else { continue }
                let folder = parts[..<(parts.count - 1)].joined(separator: "/")
                if parts[0] == "packages" {
                    if parts.last == "package.json", parts.count <= 4 { manifests[folder] = object }
                    continue
                }
                guard !parts[1].hasPrefix(".") else { continue }
                let component = "\(parts[0])/\(parts[1])"
                componentFolders.insert(component)
                guard parts.count == 3 else { continue }
                if parts[2] == Substring(Workspace.configFileName) { settings[component] = object }
                if parts[2] == "package.json" { manifests[component] = object }
            }
        }

        func folders(under kind: String) -> [String] {
            componentFolders.compactMap { folder in
                folder.hasPrefix(kind + "/") ? String(folder.dropFirst(kind.count + 1)) : nil
            }.sorted()
        }
    }

    /// The objects `cat-file --batch` printed: for each, `<name> <type> <size>\n<content>\n`, or
    /// `<what was asked> missing\n`.
    private static func objects(in output: [UInt8]) throws(SlipwayError) -> [(name: String, type: String, content: ArraySlice<UInt8>)] {
        var objects: [(name: String, type: String, content: ArraySlice<UInt8>)] = []
        var index = 0
        while index < output.count {
            guard let newline = output[index...].firstIndex(of: UInt8(ascii: "\n")) else { break }
            let header = String(decoding: output[index..<newline], as: UTF8.self).split(separator: " ")
            index = newline + 1
            guard header.count == 3, let size = Int(header[2]), index + size <= output.count else {
                if header.last == "missing" || header.last == "ambiguous" {
                    objects.append((String(header[0]), "missing", []))
                    continue
                }
                throw .failure("git cat-file: unexpected output '\(header.joined(separator: " "))'")
            }
            objects.append((String(header[0]), String(header[1]), output[index..<(index + size)]))
            index += size + 1
        }
        return objects
    }
}
