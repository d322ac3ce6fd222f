import Foundation

/// What change detection took from each component's settings at the last head it read, in
/// `.slipway/cache/discovery.json`: a component whose `slipway.yml` blob (and the workspace's) is
/// the same at a new head is not parsed again. Keyed by git's object ids, so it can never be stale
/// for a given content; a file that cannot be read or decoded is ignored and rewritten.
struct DiscoveryCache: Codable, Sendable, Equatable {
    /// Raised whenever what an entry holds, or how settings are parsed into it, changes meaning.
    static let format = 1

    var format = Self.format
    var slipway = SlipwayVersion.current
    /// The workspace `slipway.yml` blob ("" when there is none): defaults and overrides come from it.
    var config: String
    /// By component folder (`apps/web`).
    var components: [String: Entry] = [:]

    /// The settings detection reads, from the folder's `slipway.yml` blob ("" when it has none).
    struct Entry: Codable, Sendable, Equatable {
        var blob: String
        var technology: String?
        var target: String?
        var paths: [Rule]
        var dependsOn: [String]
        var dependsOnAt: Location?

        init(blob: String, settings: ComponentSettings) {
            self.blob = blob
            technology = settings.technology
            target = settings.target
            paths = settings.paths.rules.map(Rule.init)
            dependsOn = settings.dependsOn
            dependsOnAt = settings.dependsOnLocation.map { Location(file: $0.file, line: $0.line, column: $0.column) }
        }

        /// `defaults` with what this entry holds.
        func settings(over defaults: ComponentSettings) -> ComponentSettings {
            var settings = defaults
            settings.technology = technology
            settings.target = target
            settings.paths = PathFilter(paths.map(\.rule))
            settings.dependsOn = dependsOn
            settings.dependsOnLocation = dependsOnAt.map { ConfigLocation(file: $0.file, line: $0.line, column: $0.column) }
            return settings
        }
    }

    struct Rule: Codable, Sendable, Equatable {
        /// As written, `!` included.
        var pattern: String
        var changes: [ChangedFile.Change]?

        init(_ rule: PathFilter.Rule) {
            pattern = (rule.excludes ? "!" : "") + rule.glob.pattern
            changes = rule.changes.map { $0.sorted { $0.rawValue < $1.rawValue } }
        }

        var rule: PathFilter.Rule { PathFilter.Rule(pattern, changes: changes.map(Set.init)) }
    }

    struct Location: Codable, Sendable, Equatable {
        var file: String
        var line: Int
        var column: Int
    }

    init(config: String) {
        self.config = config
    }

    static func file(in root: URL) -> URL {
        root.appendingPathComponent(".slipway/cache/discovery.json")
    }

    /// The cache for the workspace `slipway.yml` blob `config`: empty when the file is missing,
    /// unreadable, of another format or version, or for another workspace configuration.
    static func load(from file: URL, config: String) -> DiscoveryCache {
        guard let data = try? Data(contentsOf: file),
              let cache = try? JSONDecoder().decode(DiscoveryCache.self, from: data),
              cache.format == Self.format, cache.slipway == SlipwayVersion.current, cache.config == config
        else { return DiscoveryCache(config: config) }
        return cache
    }

    /// Writes the cache whole through a temporary file, so a reader sees the old one or the new
    /// one; the folder gets a `.gitignore` so git never sees it. Failures are ignored: the cache only saves time.
    func write(to file: URL) {
        let folder = file.deletingLastPathComponent()
        let ignore = folder.appendingPathComponent(".gitignore")
        guard (try? FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)) != nil else { return }
        if !FileManager.default.fileExists(atPath: ignore.path) {
            try? Data("*\n".utf8).write(to: ignore, options: .atomic)
        }
        guard let data = try? JSONEncoder().encode(self) else { return }
        try? data.write(to: file, options: .atomic)
    }
}
