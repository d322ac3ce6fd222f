extension SlipwayError.Reason {
    /// A migration file or folder that cannot be used, a failed statement, or an apply to
    /// production that staging has not validated; `path` is the file's, as `folder/script`.
    public enum MigrationProblem: Sendable, Equatable {
        case noFolder(String)
        case unreadableFolder(String)
        case unreadable(path: String, problem: String)
        /// Neither `V<version>__` nor `U<version>__`.
        case notAName(path: String)
        /// An `R__` file: repeatable migrations are refused.
        case repeatable(path: String)
        /// `text` between the prefix and `__` is not a version.
        case notAVersion(path: String, text: String)
        /// Another file (`other`, a path) has the same version.
        case duplicateVersion(path: String, MigrationVersion, other: String)
        case duplicateCompensating(path: String, MigrationVersion, other: String)
        /// A `U` file whose `V` file does not exist.
        case compensatesNothing(path: String, MigrationVersion)
        /// A statement at `line`:`column` failed; `undone` says what became of the file's other statements.
        case statementFailed(path: String, line: Int, column: Int, problem: String, undone: String)
        /// Production refuses a file that staging has not applied successfully.
        case notAppliedIn(environment: String, path: String, MigrationVersion)
        /// Production refuses a file whose checksum differs from the one `environment` applied.
        case differsFrom(environment: String, path: String, there: Int32?, here: Int32)

        var category: SlipwayError.Category {
            switch self {
            case .unreadableFolder, .unreadable, .statementFailed, .notAppliedIn, .differsFrom: .failure
            default: .usage
            }
        }

        var line: String {
            switch self {
            case .noFolder(let folder):
                "\(folder): no migrations folder"
            case .unreadableFolder(let folder):
                "\(folder): cannot read the folder"
            case .unreadable(let path, let problem):
                "\(path): cannot read: \(problem)"
            case .notAName(let path):
                "\(path): not a migration name: expected V<version>__<description>.sql (or U<version>__... for its compensating script)"
            case .repeatable(let path):
                "\(path): repeatable migrations (R__) are refused: Slipway applies versioned V<version>__ files only, "
                    + "each once; make it a new V file"
            case .notAVersion(let path, let text):
                "\(path): '\(text)' is not a version: expected whole numbers separated by . or _ (V1__, V1_2__, V2.0.1__)"
            case .duplicateVersion(let path, let version, let other):
                "\(path): version \(version) is also the version of \(other); each version must be unique"
            case .duplicateCompensating(let path, let version, let other):
                "\(path): version \(version) already has the compensating script \(other)"
            case .compensatesNothing(let path, let version):
                "\(path): compensating script of V\(version), which does not exist"
            case .statementFailed(let path, let line, let column, let problem, let undone):
                "\(path):\(line):\(column): \(problem); \(undone) and recorded as failed"
            case .notAppliedIn(let environment, let path, let version):
                "not applied: \(path) (version \(version)) has not been applied successfully in \(environment): "
                    + "apply it there first (slipway migrate apply --env \(environment))"
            case .differsFrom(let environment, let path, let there, let here):
                "not applied: \(path) is not the file \(environment) applied (checksum \(there.map(String.init) ?? "none") there, "
                    + "\(here) here): apply the same file in \(environment) first"
            }
        }
    }
}
