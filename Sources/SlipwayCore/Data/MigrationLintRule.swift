/// A rule of `slipway migrate lint`: a statement that is not additive, so the release still
/// running during and after the migration (expand before deploy) can break on it. The ids follow
/// squawk's rules where one exists (`ban-drop-column` is `drop-column` here).
public enum MigrationLintRule: String, Sendable, CaseIterable, Codable {
    case dropSchema = "drop-schema"
    case dropTable = "drop-table"
    case dropColumn = "drop-column"
    case dropConstraint = "drop-constraint"
    case renameTable = "rename-table"
    case renameColumn = "rename-column"
    case changeColumnType = "change-column-type"
    case setNotNull = "set-not-null"
    case dropNotNull = "drop-not-null"
    case addRequiredColumn = "add-required-column"
    case uniqueConstraint = "unique-constraint"
    case constraintWithoutNotValid = "constraint-without-not-valid"
    case truncate = "truncate"
    case deleteWithoutWhere = "delete-without-where"
    case updateWithoutWhere = "update-without-where"
    /// A string, quoted name, dollar-quoted body or comment the file ends inside.
    case unterminated = "unterminated"
    /// A `slipway:allow` comment without a known rule or a reason.
    case allowComment = "allow-comment"

    /// Why the statement breaks code that is running, in one clause.
    public var why: String {
        switch self {
        case .dropSchema: "dropping a schema removes every table the running release reads"
        case .dropTable: "dropping a table breaks the running release's queries on it"
        case .dropColumn: "dropping a column breaks the running release's queries that name it (and SELECT * readers expecting it)"
        case .dropConstraint: "dropping a constraint lets writes through that the running release relies on being refused"
        case .renameTable: "renaming a table breaks every query of the running release that uses the old name"
        case .renameColumn: "renaming a column breaks every query of the running release that uses the old name"
        case .changeColumnType:
            "changing a column's type rewrites the table under an ACCESS EXCLUSIVE lock and can break the running release's reads and writes"
        case .setNotNull: "SET NOT NULL scans the table under an ACCESS EXCLUSIVE lock and fails the running release's inserts that omit the column"
        case .dropNotNull: "dropping NOT NULL lets the new release write NULLs the running release does not expect"
        case .addRequiredColumn:
            "a NOT NULL column without a constant DEFAULT fails the running release's inserts (and a volatile default rewrites the table)"
        case .uniqueConstraint:
            "a UNIQUE or PRIMARY KEY constraint builds its index under a lock that blocks writes: build the index CONCURRENTLY, then ADD CONSTRAINT ... USING INDEX"
        case .constraintWithoutNotValid:
            "a CHECK or FOREIGN KEY constraint without NOT VALID scans the whole table under a lock that blocks writes: add it NOT VALID, then VALIDATE CONSTRAINT"
        case .truncate: "TRUNCATE deletes every row the running release reads"
        case .deleteWithoutWhere: "DELETE without WHERE deletes every row the running release reads"
        case .updateWithoutWhere: "UPDATE without WHERE rewrites every row under the running release"
        case .unterminated: "the file ends inside a string, quoted name, dollar-quoted body or comment, so its statements cannot be split"
        case .allowComment: "an allow comment must name a rule and give a reason: -- slipway:allow drop-column: <reason>"
        }
    }

    /// Whether a `slipway:allow` comment can excuse a finding of this rule.
    public var isAllowable: Bool { self != .unterminated && self != .allowComment }
}
