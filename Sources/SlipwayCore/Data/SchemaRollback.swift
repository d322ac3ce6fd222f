/// Whether the code of an older release can run on the schema its environment's database has
/// now: every migration applied after the release's own highest one must be additive (lint-clean,
/// with no `slipway:allow` exception either), since old code never reads a column it did not know.
public struct SchemaRollback: Sendable, Equatable {
    /// A migration applied since the release that old code may not run on.
    public struct Blocker: Sendable, Equatable {
        /// The script's path in the workspace (`services/api/migrations/V3__drop_legacy.sql`).
        public var path: String
        /// Why it is not additive: the first lint finding, or that the file is gone.
        public var why: String
        /// The compensating script's path, when there is one.
        public var compensating: String?
    }

    public var releaseSchema: MigrationVersion?
    /// The scripts applied after the release's schema, in version order.
    public var appliedSince: [String]
    public var blocker: Blocker?

    /// `applied`: the scripts recorded as applied successfully in the environment (any order).
    /// A release with no recorded schema is compared with every applied migration.
    public static func evaluate(
        releaseSchema: MigrationVersion?, applied: [String], catalog: MigrationCatalog
    ) -> SchemaRollback {
        var since: [(version: MigrationVersion, script: String)] = []
        var missing: [String] = []
        for script in Set(applied) {
            guard let file = catalog.versioned.first(where: { $0.script == script }) else {
                missing.append(script)
                continue
            }
            if releaseSchema.map({ file.version > $0 }) ?? true { since.append((file.version, script)) }
        }
        since.sort { $0.version < $1.version }
        var result = SchemaRollback(releaseSchema: releaseSchema, appliedSince: since.map(\.script), blocker: nil)
        // A script gone from disk cannot be shown additive.
        if let script = missing.sorted().first {
            result.blocker = Blocker(
                path: "\(catalog.folder)/\(script)", why: "it was applied but is no longer on disk, so it cannot be shown additive",
                compensating: nil)
            return result
        }
        for (version, script) in since {
            guard let file = catalog.versioned.first(where: { $0.script == script }),
                  let finding = catalog.lint([file]).first else { continue }
            let why = finding.isAllowed
                ? "\(finding.location) \(finding.rule.rawValue) (allowed by comment: \(finding.allowedBecause ?? ""))"
                : "\(finding.location) \(finding.rule.rawValue)"
            result.blocker = Blocker(
                path: catalog.path(of: file), why: "\(why) is not additive",
                compensating: catalog.compensating[version].map { catalog.path(of: $0) })
            break
        }
        return result
    }

    /// One line for a refused rollback of `component` to `version`.
    public func refusal(component: String, version: String, environment: String) -> String? {
        guard let blocker else { return nil }
        let schema = releaseSchema.map { "its schema is at version \($0)" } ?? "it recorded no schema version"
        let compensate = blocker.compensating.map { "its compensating script is \($0)" } ?? "it has no compensating script"
        return "cannot roll back \(component) to \(version) in \(environment): \(schema), and \(blocker.path) applied since "
            + "\(blocker.why): old code may not run on it; \(compensate) (run it first), or roll back anyway with --force --reason TEXT"
    }
}
