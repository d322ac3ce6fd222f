import Foundation

/// A monorepo of apps and services, discovered with no configuration at all.
///
/// Workspace/ is above Support/ only (Support <- Workspace <- Store <- Targets <- Release, Pipeline, Gates,
/// Health, Data, Secrets <- ReadModel <- Engine): the configuration's values (`PathFilter`,
/// `ServiceLevelObjective`, `AlertSeverity`) live here, not in the folders that use them.
public struct Workspace: Sendable {
    public var root: URL
    public var config: WorkspaceConfig
    public var components: [Component]
    /// Component folders set aside because they could not be loaded, with why.
    public var problems: [ComponentProblem] = []

    public static let configFileName = "slipway.yml"

    public var apps: [Component] { components.filter { $0.kind == .app } }
    public var services: [Component] { components.filter { $0.kind == .service } }
    public var stateDirectory: URL { root.appendingPathComponent(".slipway") }

    /// Names of components, environments and releases: safe as a path segment and a make argument.
    public static func isValidName(_ name: String) -> Bool {
        guard let first = name.unicodeScalars.first, isLowerAlphanumeric(first) else { return false }
        return name.unicodeScalars.allSatisfy { isLowerAlphanumeric($0) || $0 == "." || $0 == "_" || $0 == "-" }
    }

    private static func isLowerAlphanumeric(_ scalar: Unicode.Scalar) -> Bool {
        ("a"..."z").contains(scalar) || ("0"..."9").contains(scalar)
    }

    /// The nearest folder at or above `start` holding `slipway.yml`, `apps/` or `services/`.
    public static func locate(from start: URL) -> URL? {
        var directory = start.standardizedFileURL
        while true {
            for marker in [configFileName, "apps", "services"]
            where FileManager.default.fileExists(atPath: directory.appendingPathComponent(marker).path) {
                return directory
            }
            let parent = directory.deletingLastPathComponent()
            if parent.path == directory.path { return nil }
            directory = parent
        }
    }

    /// Loads the workspace at `root`: its configuration and every component.
    public static func load(at root: URL) throws(SlipwayError) -> Workspace {
        let root = root.standardizedFileURL
        var isDirectory: ObjCBool = false
        guard FileManager.default.fileExists(atPath: root.path, isDirectory: &isDirectory), isDirectory.boolValue else {
            throw .usage("workspace '\(root.path)' is not a folder")
        }
        let configURL = root.appendingPathComponent(configFileName)
        var config = WorkspaceConfig()
        var overrides: [String: (key: ConfigLocation, node: ConfigNode)] = [:]
        if let text = try readIfPresent(configURL) {
            (config, overrides) = try WorkspaceConfig.read(text, file: configFileName)
        }
        let (components, problems) = try components(
            apps: try folderNames(in: root.appendingPathComponent("apps")),
            services: try folderNames(in: root.appendingPathComponent("services")),
            overrides: overrides
        ) { name, kind, path throws(SlipwayError) in
            try loadComponent(name: name, kind: kind, path: path, root: root, config: config, override: overrides[name]?.node)
        }
        var workspace = Workspace(root: root, config: config, components: components)
        workspace.problems = problems
        return workspace
    }

    /// The components of the folders under `apps/` and `services/` (sorted names), in that order,
    /// as `load` reads each; a bad name, a duplicate or a configuration error sets a folder aside.
    static func components(
        apps: [String], services: [String], overrides: [String: (key: ConfigLocation, node: ConfigNode)],
        load: (_ name: String, _ kind: ComponentKind, _ path: String) throws(SlipwayError) -> Component
    ) throws(SlipwayError) -> (components: [Component], problems: [ComponentProblem]) {
        var components: [Component] = []
        var names: [String: String] = [:]
        var problems: [ComponentProblem] = []
        for (kind, folder, folderNames) in [(ComponentKind.app, "apps", apps), (.service, "services", services)] {
            for name in folderNames {
                let path = "\(folder)/\(name)"
                do throws(SlipwayError) {
                    guard isValidName(name) else {
                        throw .usage(ConfigText.escaped("\(path): component name '\(name)' must match [a-z0-9][a-z0-9._-]*"))
                    }
                    if let other = names[name] {
                        throw .usage("\(path): component name '\(name)' is also used by \(other); names must be unique")
                    }
                    components.append(try load(name, kind, path))
                    names[name] = path
                } catch {
                    problems.append(ComponentProblem(path: ConfigText.escaped(path), name: name, error: error))
                }
            }
        }
        for (unknown, override) in overrides
        where names[unknown] == nil && !problems.contains(where: { $0.name == unknown }) {
            let location = override.key
            throw location.error("unknown component '\(unknown)' in components (known: \(components.map(\.name).joined(separator: ", ")))")
        }
        return (components, problems)
    }

    /// A component's settings: the workspace defaults, then its `components:` entry, then the
    /// text of its own `slipway.yml` (nil when it has none).
    static func settings(
        path: String, config: WorkspaceConfig, override: ConfigNode?, ownText: String?
    ) throws(SlipwayError) -> ComponentSettings {
        var settings = config.componentDefaults
        if let override {
            settings = try ComponentSettings.parse(override, base: settings, environments: config.environmentNames)
        }
        let settingsFile = "\(path)/\(configFileName)"
        if let ownText, let node = try ConfigNode.parse(ownText, file: settingsFile) {
            settings = try ComponentSettings.parse(node, base: settings, environments: config.environmentNames)
        }
        return settings
    }

    /// The workspace, or the first set-aside component's error: for checks that accept no bad folder.
    public func checked() throws(SlipwayError) -> Workspace {
        if let problem = problems.first { throw problem.error }
        return self
    }

    /// Takes `component` out of the workspace, with the reason every command will print.
    public mutating func setAside(_ component: Component, because error: SlipwayError) {
        components.removeAll { $0.name == component.name }
        problems.append(ComponentProblem(path: component.path, name: component.name, error: error))
    }

    private static func loadComponent(
        name: String, kind: ComponentKind, path: String, root: URL, config: WorkspaceConfig, override: ConfigNode?
    ) throws(SlipwayError) -> Component {
        let directory = root.appendingPathComponent(path)
        // Listed once: a file not in the listing is not probed (most are not there).
        let folder = ComponentFolder(directory)
        let makefile = folder.mayHold("Makefile")
            ? MakefileMetadata.load(from: folder.url(of: "Makefile"), directory: directory) : nil
        let settings = try settings(
            path: path, config: config, override: override,
            ownText: folder.mayHold(configFileName) ? try readIfPresent(folder.url(of: configFileName)) : nil)
        let technology = settings.technology ?? makefile?.technology ?? PlatformInference.technology(in: folder)
        let target = settings.target ?? makefile?.target ?? PlatformInference.target(in: folder)
        return Component(
            name: name, kind: kind, path: path, directory: directory, technology: technology, target: target,
            makefile: makefile, settings: settings)
    }

    private static func folderNames(in directory: URL) throws(SlipwayError) -> [String] {
        guard let listing = try FolderListing(path: directory.path) else { return [] }
        return listing.entries.filter { $0.isFolder && !$0.name.hasPrefix(".") }.map(\.name).sorted()
    }

    private static func readIfPresent(_ url: URL) throws(SlipwayError) -> String? {
        guard FileManager.default.fileExists(atPath: url.path) else { return nil }
        do {
            return try String(contentsOf: url, encoding: .utf8)
        } catch {
            throw .usage("\(url.path): cannot read: \(error.localizedDescription)")
        }
    }

    /// The component called `reference`, written as `accounts` or `services/accounts`.
    public func component(named reference: String, kind: ComponentKind? = nil) throws(SlipwayError) -> Component {
        let name = reference.hasPrefix("apps/") || reference.hasPrefix("services/")
            ? String(reference.split(separator: "/", maxSplits: 1).last ?? "") : reference
        let candidates = kind.map { kind in components.filter { $0.kind == kind } } ?? components
        if let component = candidates.first(where: { $0.name == name && (reference == name || reference == $0.path) }) {
            return component
        }
        if let problem = problems.first(where: { $0.isNamed(by: reference) }) { throw problem.error }
        var hint: SlipwayError.Reason.NameHint?
        if let other = components.first(where: { $0.name == name }) {
            // The right name in the wrong place: say where it is, or which command deploys it.
            hint = kind == nil ? .didYouMean(other.path) : .otherKind(name: other.name, other.kind)
        } else if let nearest = NearestName.suggestion(for: name, among: candidates.map(\.name)) {
            hint = .didYouMean(nearest)
        }
        throw SlipwayError(.unknownComponent(reference, kind: kind, hint: hint, known: candidates.map(\.name)))
    }

    public func environment(named name: String) throws(SlipwayError) -> EnvironmentSettings {
        try config.environment(named: name)
    }
}
