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
    /// Two git processes: `ls-tree` of the roots' tops for the folders, then one `cat-file --batch`
    /// for the files read by object id (a third only when a package folder holds more folders). A
    /// component whose `slipway.yml` blob is in the discovery cache is not parsed again.
    static func read(_ revision: String, workspace root: URL) async throws(SlipwayError) -> CommitComponents? {
        let commit = "\(revision)^{commit}"
        // The tops of the roots only (trailing slashes list their children): one line per folder,
        // not one per file under it.
        let listing = try await GitRepository.run(
            ["ls-tree", "-z", commit, "--", Workspace.configFileName, "apps/", "services/", "packages/"], input: "", in: root)
        guard listing.status == 0 else { return nil }
        let tree = Listing(listing.output)

        // Asked by object id, so paths are never re-resolved against the commit; answered in order.
        var requests = [commit]
        if let config = tree.config { requests.append(config) }
        for folder in tree.components {
            requests += ["\(folder.object):\(Workspace.configFileName)", "\(folder.object):package.json"]
        }
        if let manifest = tree.packagesManifest { requests.append(manifest) }
        for folder in tree.packages { requests += ["\(folder.object):package.json", folder.object] }
        var answers = try await batch(requests, in: root)[...]
        guard let resolved = answers.popFirst(), resolved.type == "commit" else { return nil }
        let hashLength = resolved.object.utf8.count / 2

        var config = WorkspaceConfig()
        var overrides: [String: (key: ConfigLocation, node: ConfigNode)] = [:]
        if tree.config != nil, let configText = answers.popFirst()?.text {
            (config, overrides) = try WorkspaceConfig.read(configText, file: Workspace.configFileName)
        }
        var settingsBlobs: [String: Object] = [:]
        var manifests: [String: PackageManifest] = [:]
        for folder in tree.components {
            settingsBlobs[folder.path] = answers.popFirst()
            manifests[folder.path] = answers.popFirst()?.manifest
        }
        var packageManifests: [String: PackageManifest] = [:]
        if tree.packagesManifest != nil { packageManifests["packages"] = answers.popFirst()?.manifest }
        var deeper: [Listing.Folder] = []
        for folder in tree.packages {
            let manifest = answers.popFirst()?.manifest
            packageManifests[folder.path] = manifest
            let folderTree = answers.popFirst()
            // A folder whose manifest names a package holds no other (as `workspacePackages` reads it).
            guard manifest?.name == nil, let folderTree, folderTree.type == "tree" else { continue }
            deeper += Self.subfolders(of: folderTree.content, hashLength: hashLength).map { name, object in
                Listing.Folder(path: "\(folder.path)/\(name)", name: name, object: object)
            }
        }
        if packageManifests["packages"]?.name == nil, !deeper.isEmpty {
            let answers = try await batch(deeper.map { "\($0.object):package.json" }, in: root)
            for (folder, answer) in zip(deeper, answers) { packageManifests[folder.path] = answer.manifest }
        }

        let cacheFile = DiscoveryCache.file(in: root)
        let cache = DiscoveryCache.load(from: cacheFile, config: tree.config ?? "")
        var fresh = DiscoveryCache(config: tree.config ?? "")
        let (components, problems) = try Workspace.components(
            apps: tree.names(under: "apps"), services: tree.names(under: "services"), overrides: overrides
        ) { name, kind, path throws(SlipwayError) in
            let own = settingsBlobs[path].flatMap { $0.type == "blob" ? $0 : nil }
            let settings: ComponentSettings
            if let entry = cache.components[path], entry.blob == own?.object ?? "" {
                settings = entry.settings(over: config.componentDefaults)
            } else {
                settings = try Workspace.settings(path: path, config: config, override: overrides[name]?.node, ownText: own?.text)
            }
            fresh.components[path] = DiscoveryCache.Entry(blob: own?.object ?? "", settings: settings)
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

    /// The entries of `ls-tree -z` (not recursive) that matter: the configuration's blob, the
    /// component folders under `apps/` and `services/`, and the package folders and manifest of `packages/`.
    struct Listing {
        struct Folder {
            /// `apps/web`
            var path: String
            var name: String
            var object: String
        }

        var config: String?
        var components: [Folder] = []
        var packagesManifest: String?
        var packages: [Folder] = []

        init(_ output: [UInt8]) {
            for entry in output.split(separator: 0) {
                // "<mode> <type> <object>\t<path>"
                guard let tab = entry.firstIndex(of: UInt8(ascii: "\t")) else { continue }
                let fields = entry[..<tab].split(separator: UInt8(ascii: " "))
                guard fields.count == 3 else { continue }
                let type = fields[1], object = String(decoding: fields[2], as: UTF8.self)
                let path = String(decoding: entry[(tab + 1)...], as: UTF8.self)
                let isBlob = type.elementsEqual("blob".utf8)
                if path == Workspace.configFileName {
                    if isBlob { config = object }
                    continue
                }
                let parts = path.split(separator: "/", maxSplits: 1)
                guard parts.count == 2 else { continue }
                let name = String(parts[1])
                if parts[0] == "packages" {
                    if isBlob, name == "package.json" { packagesManifest = object }
                    if type.elementsEqual("tree".utf8) { packages.append(Folder(path: path, name: name, object: object)) }
                    continue
                }
                // A component is a folder (a submodule's included), as `Workspace.load` finds it on disk.
                guard !isBlob, !name.hasPrefix(".") else { continue }
                components.append(Folder(path: path, name: name, object: object))
            }
        }

        func names(under kind: String) -> [String] {
            components.filter { $0.path.hasPrefix(kind + "/") }.map(\.name).sorted()
        }
    }

    /// One object `cat-file --batch` printed for a request, or a missing one (`type` "missing").
    struct Object {
        var object: String
        var type: String
        var content: ArraySlice<UInt8>

        var text: String? { type == "blob" ? String(decoding: content, as: UTF8.self) : nil }
        var manifest: PackageManifest? { type == "blob" ? PackageManifest(json: Data(content)) : nil }
    }

    /// `requests` through one `git cat-file --batch`, answered one object each, in order.
    private static func batch(_ requests: [String], in root: URL) async throws(SlipwayError) -> [Object] {
        let run = try await GitRepository.run(["cat-file", "--batch"], input: requests.map { $0 + "\n" }.joined(), in: root)
        guard run.status == 0 else {
            let line = run.error.split(separator: "\n").first.map(String.init)
            throw SlipwayError(.commandFailed(command: "git cat-file", status: run.status, firstLine: line))
        }
        let output = run.output
        var objects: [Object] = []
        var index = 0
        while index < output.count, objects.count < requests.count {
            guard let newline = output[index...].firstIndex(of: UInt8(ascii: "\n")) else { break }
            let header = output[index..<newline]
            index = newline + 1
            // "<object> <type> <size>", or "<request> missing" (a request may hold spaces).
            if header.reversed().starts(with: " missing".utf8.reversed()) || header.reversed().starts(with: " ambiguous".utf8.reversed()) {
                objects.append(Object(object: "", type: "missing", content: []))
                continue
            }
            let fields = header.split(separator: UInt8(ascii: " "))
            guard fields.count == 3, let size = Int(String(decoding: fields[2], as: UTF8.self)), index + size <= output.count else {
                throw .failure("git cat-file: unexpected output '\(String(decoding: header, as: UTF8.self))'")
            }
            objects.append(Object(
                object: String(decoding: fields[0], as: UTF8.self), type: String(decoding: fields[1], as: UTF8.self),
                content: output[index..<(index + size)]))
            index += size + 1
        }
        guard objects.count == requests.count else {
            throw .failure("git cat-file: \(objects.count) answers to \(requests.count) requests")
        }
        return objects
    }

    private static let hexDigits = Array("0123456789abcdef".utf8)

    /// The folders a raw tree object holds (`<mode> <name>\0<binary id>` entries), by name and
    /// object id, without hidden ones and `node_modules`, as `workspacePackages` skips them.
    static func subfolders(of tree: ArraySlice<UInt8>, hashLength: Int) -> [(name: String, object: String)] {
        var folders: [(name: String, object: String)] = []
        var index = tree.startIndex
        while index < tree.endIndex {
            guard let space = tree[index...].firstIndex(of: UInt8(ascii: " ")),
                  let end = tree[space...].firstIndex(of: 0), end + 1 + hashLength <= tree.endIndex
            else { break }
            let mode = tree[index..<space]
            let name = String(decoding: tree[(space + 1)..<end], as: UTF8.self)
            let id = tree[(end + 1)..<(end + 1 + hashLength)]
            index = end + 1 + hashLength
            guard mode.elementsEqual("40000".utf8), !name.hasPrefix("."), name != "node_modules" else { continue }
            var hex: [UInt8] = []
            for byte in id { hex += [Self.hexDigits[Int(byte >> 4)], Self.hexDigits[Int(byte & 0xf)]] }
            folders.append((name, String(decoding: hex, as: UTF8.self)))
        }
        return folders
    }
}
