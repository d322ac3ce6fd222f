import Foundation

extension SlipwayError.Reason {
    /// What stops an apply (Flyway's validate): the folder and the database's history disagree.
    /// `path` is the file's, as `folder/script`.
    public enum MigrationPlanProblem: Sendable, Equatable {
        /// The file failed when applied at `installedOn`; its entry must be repaired.
        case failed(path: String, installedOn: Date)
        /// The file's checksum is not the one recorded when it was applied.
        case changed(path: String, recorded: Int32, onDisk: Int32)
        /// An applied version whose file is gone from `folder`.
        case missing(folder: String, script: String, MigrationVersion)
        /// A failed entry whose file is gone from `folder`.
        case failedAndMissing(folder: String, script: String, MigrationVersion)
        /// A pending file below the highest applied version.
        case outOfOrder(path: String, highest: MigrationVersion)

        public var line: String {
            switch self {
            case .failed(let path, let installedOn):
                "\(path) failed when applied on \(TimeText.rfc3339(installedOn)) and its changes were rolled back: "
                    + "fix the file, then clear the failed entry with `slipway migrate repair`"
            case .changed(let path, let recorded, let onDisk):
                "\(path) changed after it was applied: checksum \(recorded) in flyway_schema_history, \(onDisk) on disk; "
                    + "restore the applied text and put the change in a new version"
            case .missing(let folder, let script, let version):
                "\(folder)/\(script) (version \(version)) is applied but missing from \(folder): restore it"
            case .failedAndMissing(let folder, let script, let version):
                "\(script) (version \(version)) failed when applied and is missing from \(folder): clear it with `slipway migrate repair`"
            case .outOfOrder(let path, let highest):
                "\(path) is pending but version \(highest) is already applied: give it a version above \(highest)"
            }
        }
    }
}
