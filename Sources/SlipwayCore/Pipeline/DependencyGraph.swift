/// Which components depend on which, from `depends_on` and from workspace dependencies that
/// package.json files state. Built once per workspace; a cycle is a configuration error.
public struct DependencyGraph: Sendable {
    /// Component names in workspace order.
    public let names: [String]
    /// The components each one depends on directly.
    public let dependencies: [String: [String]]
    /// The paths each one depends on (folders of workspace packages, or `depends_on` paths).
    public let pathDependencies: [String: PathFilter]

    public init(workspace: Workspace) throws(SlipwayError) {
        var manifests: [String: PackageManifest] = [:]
        for component in workspace.components {
            manifests[component.name] = PackageManifest.load(from: component.directory)
        }
        try self.init(
            components: workspace.components, manifests: manifests,
            packages: PackageManifest.workspacePackages(in: workspace.root))
    }

    /// The graph of `components`, given their `package.json` manifests by component name and the
    /// workspace packages by package name.
    init(
        components: [Component], manifests: [String: PackageManifest],
        packages: [String: (folder: String, manifest: PackageManifest)]
    ) throws(SlipwayError) {
        names = components.map(\.name)
        let known = Set(names)
        var dependencies: [String: [String]] = [:]
        var paths: [String: [PathFilter.Rule]] = [:]
        var componentByPackage: [String: String] = [:]
        for component in components {
            if let name = manifests[component.name]?.name { componentByPackage[name] = component.name }
        }

        for component in components {
            var direct: [String] = []
            var rules: [PathFilter.Rule] = []
            for entry in component.settings.dependsOn {
                if known.contains(entry) {
                    if !direct.contains(entry) { direct.append(entry) }
                } else {
                    rules += Self.pathRules(entry)
                }
            }
            if let manifest = manifests[component.name] {
                for (name, spec) in manifest.dependencies.sorted(by: { $0.key < $1.key }) {
                    if let other = componentByPackage[name], other != component.name {
                        if spec.hasPrefix("workspace:"), !direct.contains(other) { direct.append(other) }
                    } else if packages[name] != nil {
                        for folder in Self.packageClosure(of: name, in: packages) { rules += Self.pathRules(folder) }
                    }
                }
            }
            dependencies[component.name] = direct
            paths[component.name] = rules
        }
        self.dependencies = dependencies
        self.pathDependencies = paths.mapValues { PathFilter($0) }
        try Self.refuseCycles(names: names, dependencies: dependencies, components: components)
    }

    /// A `depends_on` path: a glob as written, and a plain folder also with everything under it.
    private static func pathRules(_ entry: String) -> [PathFilter.Rule] {
        let isGlob = entry.contains(where: { "*?[{!".contains($0) })
        let trimmed = entry.hasSuffix("/") ? String(entry.dropLast()) : entry
        return isGlob ? [PathFilter.Rule(entry)] : [PathFilter.Rule(trimmed), PathFilter.Rule(trimmed + "/**")]
    }

    /// The folders of package `name` and of every workspace package it depends on, transitively.
    private static func packageClosure(
        of name: String, in packages: [String: (folder: String, manifest: PackageManifest)]
    ) -> [String] {
        var seen: Set<String> = []
        var pending = [name]
        var folders: [String] = []
        while let next = pending.popLast() {
            guard seen.insert(next).inserted, let package = packages[next] else { continue }
            folders.append(package.folder)
            pending += package.manifest.dependencies.keys.filter { packages[$0] != nil }.sorted()
        }
        return folders
    }

    private static func refuseCycles(
        names: [String], dependencies: [String: [String]], components: [Component]
    ) throws(SlipwayError) {
        enum Mark { case visiting, done }
        var marks: [String: Mark] = [:]
        var stack: [String] = []
        func visit(_ name: String) -> [String]? {
            if marks[name] == .done { return nil }
            if marks[name] == .visiting {
                let start = stack.firstIndex(of: name) ?? 0
                return Array(stack[start...]) + [name]
            }
            marks[name] = .visiting
            stack.append(name)
            for dependency in dependencies[name] ?? [] {
                if let cycle = visit(dependency) { return cycle }
            }
            stack.removeLast()
            marks[name] = .done
            return nil
        }
        for name in names {
            guard let cycle = visit(name) else { continue }
            let component = components.first { $0.name == cycle[0] }
            let place = component?.settings.dependsOnLocation.map { "\($0): " } ?? "\(component?.path ?? cycle[0]): "
            throw .usage("\(place)dependency cycle: \(cycle.joined(separator: " -> "))")
        }
    }

    /// Every component `name` depends on, directly or through others.
    public func transitiveDependencies(of name: String) -> Set<String> {
        var result: Set<String> = []
        var pending = dependencies[name] ?? []
        while let next = pending.popLast() {
            if result.insert(next).inserted { pending += dependencies[next] ?? [] }
        }
        return result
    }

    /// `subset` in an order where each component comes after those it depends on (workspace
    /// order among independent ones).
    public func order(_ subset: Set<String>) -> [String] {
        var visited: Set<String> = []
        var result: [String] = []
        // Walks through components outside the subset too, so `a -> b -> c` orders a after c.
        func place(_ name: String) {
            guard visited.insert(name).inserted else { return }
            for dependency in dependencies[name] ?? [] { place(dependency) }
            if subset.contains(name) { result.append(name) }
        }
        for name in names { place(name) }
        return result
    }
}
