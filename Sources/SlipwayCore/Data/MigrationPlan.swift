import Foundation

/// The migrations folder compared with the database's history: what is applied, what is
/// pending, and what stops an apply (Flyway's validate). A pure function of the two.
public struct MigrationPlan: Sendable, Equatable {
    public enum State: String, Sendable, Codable {
        case applied
        case pending
        /// Recorded as failed: nothing applies until it is repaired.
        case failed
        /// Applied, but the file on disk is no longer the one applied.
        case changed
        /// Applied, but the file is gone.
        case missing
        /// Pending with a version below the highest applied one.
        case outOfOrder = "out-of-order"
        /// At or below a Flyway baseline: counted as applied without a history row of its own.
        case baseline
    }

    public struct Row: Sendable, Equatable, Codable {
        public var version: MigrationVersion
        public var description: String
        public var script: String
        public var state: State
        public var checksum: Int32?
        public var installedOn: Date?
        /// Whether the file runs outside a transaction (`CREATE INDEX CONCURRENTLY` and the like).
        public var transactional: Bool?

        enum CodingKeys: String, CodingKey {
            case version, description, script, state, checksum, transactional
            case installedOn = "installed_on"
        }
    }

    public var rows: [Row]
    /// What an apply would run, in order.
    public var pending: [MigrationFile]
    /// Why an apply must not run, most serious first; empty when it may.
    public var issues: [SlipwayError.Reason.MigrationPlanProblem]
    /// The issues, one line each.
    public var problems: [String] { issues.map(\.line) }
    /// The highest successfully applied version.
    public var current: MigrationVersion?

    public init(catalog: MigrationCatalog, history: [SchemaHistoryEntry]) {
        var latest: [MigrationVersion: SchemaHistoryEntry] = [:]
        var baseline: MigrationVersion?
        for entry in history.sorted(by: { $0.installedRank < $1.installedRank }) {
            guard let version = entry.migrationVersion else { continue }
            if entry.type == "BASELINE" {
                baseline = max(baseline ?? version, version)
            } else if entry.type == "SQL" {
                latest[version] = entry
            }
        }
        let applied = latest.values.filter(\.success).compactMap(\.migrationVersion)
        let highest = applied.max()
        current = [highest, baseline].compactMap(\.self).max()
        rows = []
        pending = []
        var failed: [SlipwayError.Reason.MigrationPlanProblem] = []
        var changed: [SlipwayError.Reason.MigrationPlanProblem] = []
        var missing: [SlipwayError.Reason.MigrationPlanProblem] = []
        var outOfOrder: [SlipwayError.Reason.MigrationPlanProblem] = []
        let onDisk = Dictionary(uniqueKeysWithValues: catalog.versioned.map { ($0.version, $0) })
        for file in catalog.versioned {
            let path = catalog.path(of: file)
            var row = Row(version: file.version, description: file.description, script: file.script, state: .pending, checksum: file.checksum)
            if let entry = latest[file.version] {
                row.installedOn = entry.installedOn
                if !entry.success {
                    row.state = .failed
                    failed.append(.failed(path: path, installedOn: entry.installedOn))
                } else if let recorded = entry.checksum, recorded != file.checksum {
                    row.state = .changed
                    changed.append(.changed(path: path, recorded: recorded, onDisk: file.checksum))
                } else {
                    row.state = .applied
                }
            } else if let baseline, file.version <= baseline {
                row.state = .baseline
            } else if let highest, file.version < highest {
                row.state = .outOfOrder
                outOfOrder.append(.outOfOrder(path: path, highest: highest))
            } else {
                row.transactional = !SQLStatement.split(file.text).contains(where: \.cannotRunInTransaction)
                pending.append(file)
            }
            rows.append(row)
        }
        for (version, entry) in latest.sorted(by: { $0.key < $1.key }) where onDisk[version] == nil {
            rows.append(Row(
                version: version, description: entry.description, script: entry.script, state: entry.success ? .missing : .failed,
                checksum: entry.checksum, installedOn: entry.installedOn))
            if entry.success {
                missing.append(.missing(folder: catalog.folder, script: entry.script, version))
            } else {
                failed.append(.failedAndMissing(folder: catalog.folder, script: entry.script, version))
            }
        }
        rows.sort { $0.version < $1.version }
        issues = failed + changed + missing + outOfOrder
    }

    /// The pending files, or the first problem as the error.
    public func validated() throws(SlipwayError) -> [MigrationFile] {
        if let issue = issues.first { throw SlipwayError(.migrationPlan(issue, more: issues.count - 1)) }
        return pending
    }
}
