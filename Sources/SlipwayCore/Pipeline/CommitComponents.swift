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
    /// One git process, `cat-file --batch-command`, asked in rounds: the commit, then its tree's
    /// roots, then the folders under them, then the files read by object id. A component whose
    /// `slipway.yml` blob is in the discovery cache is neither read nor parsed again.
    static func read(_ revision: String, workspace root: URL) async throws(SlipwayError) -> CommitComponents? {
        try await GitObjectReader.session(in: root) { git throws(SlipwayError) in
            try await read(revision, workspace: root, git: git)
        }
    }

    private static func read(_ revision: String, workspace root: URL, git: GitObjectReader) async throws(SlipwayError) -> CommitComponents? {
        guard !revision.contains("\n"), let resolved = try await git.objects(["\(revision)^{commit}"]).first,
              resolved.type == "commit",
              let treeLine = resolved.content.split(separator: UInt8(ascii: "\n")).first, treeLine.starts(with: "tree ".utf8)
        else { return nil }
        let hashLength = resolved.object.utf8.count / 2
        let commitTree = String(decoding: treeLine.dropFirst(5), as: UTF8.self)

        // By the commit's tree id, so paths are never re-resolved against a ref that may move.
        let tops = try await git.objects(
            [Workspace.configFileName, "apps", "services", "packages"].map { "\(commitTree):\($0)" })
        let configBlob = tops[0].type == "blob" ? tops[0] : nil
        // A component is a folder (a submodule's included), as `Workspace.load` finds it on disk.
        var folders: [Folder] = []
        for (kind, tree) in [("apps", tops[1]), ("services", tops[2])] {
            for entry in tree.entries(hashLength: hashLength) where !entry.isFile && !entry.name.hasPrefix(".") {
                folders.append(Folder(path: "\(kind)/\(entry.name)", name: entry.name, object: entry.object, isTree: entry.isFolder))
            }
        }
        let packageEntries = tops[3].entries(hashLength: hashLength)
        let packagesManifest = packageEntries.first { $0.isFile && $0.name == "package.json" }
        let packages = packageEntries.filter(\.isFolder).map {
            Folder(path: "packages/\($0.name)", name: $0.name, object: $0.object, isTree: true)
        }

        // The folders' own trees: which of `slipway.yml` and `package.json` each holds, by blob id.
        let componentTrees = folders.filter(\.isTree)
        var answers = try await git.objects(componentTrees.map(\.object) + packages.map(\.object))[...]
        var files: [String: (settings: String?, manifest: String?)] = [:]
        for folder in componentTrees {
            let entries = try present(answers.popFirst(), folder).entries(hashLength: hashLength)
            files[folder.path] = (
                entries.first { $0.isFile && $0.name == Workspace.configFileName }?.object,
                entries.first { $0.isFile && $0.name == "package.json" }?.object)
        }
        var packageFiles: [(folder: Folder, manifest: String?, subfolders: [GitObjectReader.Entry])] = []
        for folder in packages {
            let entries = try present(answers.popFirst(), folder).entries(hashLength: hashLength)
            packageFiles.append((
                folder, entries.first { $0.isFile && $0.name == "package.json" }?.object,
                // Hidden ones and `node_modules` are skipped, as `workspacePackages` skips them.
                entries.filter { $0.isFolder && !$0.name.hasPrefix(".") && $0.name != "node_modules" }))
        }

        // Then the files, each blob once; a cached settings blob is not read at all.
        let cacheFile = DiscoveryCache.file(in: root)
        let cache = DiscoveryCache.load(from: cacheFile, config: configBlob?.object ?? "")
        var blobs: [String] = []
        for folder in componentTrees {
            guard let own = files[folder.path] else { continue }
            if let settings = own.settings, cache.components[folder.path]?.blob != settings { blobs.append(settings) }
            if let manifest = own.manifest { blobs.append(manifest) }
        }
        if let packagesManifest { blobs.append(packagesManifest.object) }
        blobs += packageFiles.compactMap(\.manifest)
        var seen: Set<String> = []
        blobs = blobs.filter { seen.insert($0).inserted }
        var contents: [String: GitObjectReader.Object] = [:]
        for (blob, object) in zip(blobs, try await git.objects(blobs)) {
            guard object.type == "blob" else { throw unreadable(blob) }
            contents[blob] = object
        }

        var config = WorkspaceConfig()
        var overrides: [String: (key: ConfigLocation, node: ConfigNode)] = [:]
        if let configText = configBlob?.text {
            (config, overrides) = try WorkspaceConfig.read(configText, file: Workspace.configFileName)
        }
        var manifests: [String: PackageManifest] = [:]
        for folder in componentTrees {
            manifests[folder.path] = files[folder.path]?.manifest.flatMap { contents[$0]?.manifest }
        }
        var packageManifests: [String: PackageManifest] = [:]
        if let packagesManifest { packageManifests["packages"] = contents[packagesManifest.object]?.manifest }
        var deeper: [Folder] = []
        for (folder, manifest, subfolders) in packageFiles {
            let manifest = manifest.flatMap { contents[$0]?.manifest }
            packageManifests[folder.path] = manifest
            // A folder whose manifest names a package holds no other (as `workspacePackages` reads it).
            guard manifest?.name == nil else { continue }
            deeper += subfolders.map { Folder(path: "\(folder.path)/\($0.name)", name: $0.name, object: $0.object, isTree: true) }
        }
        if packageManifests["packages"]?.name == nil, !deeper.isEmpty {
            let answers = try await git.objects(deeper.map { "\($0.object):package.json" })
            for (folder, answer) in zip(deeper, answers) { packageManifests[folder.path] = answer.manifest }
        }

        var fresh = DiscoveryCache(config: configBlob?.object ?? "")
        let (components, problems) = try Workspace.components(
            apps: names(of: folders, under: "apps"), services: names(of: folders, under: "services"), overrides: overrides
        ) { name, kind, path throws(SlipwayError) in
            let blob = files[path]?.settings
            let settings: ComponentSettings
            if let entry = cache.components[path], entry.blob == blob ?? "" {
                settings = entry.settings(over: config.componentDefaults)
            } else {
                let text = blob.flatMap { contents[$0]?.text }
                settings = try Workspace.settings(path: path, config: config, override: overrides[name]?.node, ownText: text)
            }
            fresh.components[path] = DiscoveryCache.Entry(blob: blob ?? "", settings: settings)
            // Detection reads neither technology nor target: they stay as settings give them.
            return Component(
                name: name, kind: kind, path: path, directory: root.appendingPathComponent(path),
                technology: settings.technology ?? "unknown", target: settings.target ?? "unknown",
                makefile: nil, settings: settings)
        }
        if fresh != cache { fresh.write(to: cacheFile) }
        var componentManifests: [String: PackageManifest] = [:]
        for component in components { componentManifests[component.name] = manifests[component.path] }
        let graph = try DependencyGraph(
            components: components, manifests: componentManifests,
            packages: PackageManifest.workspacePackages(from: packageManifests))
        return CommitComponents(
            commit: resolved.object, components: components, problems: problems, graph: graph, globalPaths: config.globalPaths)
    }

    /// A folder of the commit's tree under `apps/`, `services/` or `packages/`.
    struct Folder {
        /// `apps/web`
        var path: String
        var name: String
        var object: String
        /// False for a submodule, whose commit is not in this repository: it holds no file detection reads.
        var isTree: Bool
    }

    /// The answer for `folder`'s tree, which its parent tree names: a missing one is a damaged
    /// repository (git says "missing" for an object it cannot read), never an empty folder.
    private static func present(_ answer: GitObjectReader.Object?, _ folder: Folder) throws(SlipwayError) -> GitObjectReader.Object {
        guard let answer, answer.type == "tree" else { throw unreadable(folder.object, of: folder.path) }
        return answer
    }

    private static func unreadable(_ object: String, of path: String? = nil) -> SlipwayError {
        .failure("git cat-file: object \(object)\(path.map { " (\($0))" } ?? "") is missing or unreadable; `git fsck` says why")
    }

    private static func names(of folders: [Folder], under kind: String) -> [String] {
        folders.filter { $0.path.hasPrefix(kind + "/") }.map(\.name).sorted()
    }
}
