/// How long a component database's backups are kept (`retention:` in its `database:` block):
/// base backups and logical dumps for `backupDays`, and archived WAL for a point-in-time window
/// of `recoveryDays`. The defaults are the seed's "kept 30 days" and "7-day window".
public struct DatabaseRetention: Sendable, Equatable {
    public var backupDays = 30
    public var recoveryDays = 7

    public init(backupDays: Int = 30, recoveryDays: Int = 7) {
        self.backupDays = backupDays
        self.recoveryDays = recoveryDays
    }

    static func parse(_ node: ConfigNode) throws(SlipwayError) -> DatabaseRetention {
        let entries = try node.mapping(
            allowing: ["backups", "pitr"], aliases: ["point_in_time": "pitr"], context: "database.retention")
        var retention = DatabaseRetention()
        if let value = entries["backups"] { retention.backupDays = try days(value, "database.retention.backups") }
        if let value = entries["pitr"] { retention.recoveryDays = try days(value, "database.retention.pitr") }
        guard retention.recoveryDays <= retention.backupDays else {
            throw node.location.error(
                "database.retention.pitr (\(retention.recoveryDays)d) cannot be longer than backups (\(retention.backupDays)d): the window starts at a kept base backup")
        }
        return retention
    }

    /// `30d` or a bare `30`, in days, at least one.
    private static func days(_ node: ConfigNode, _ what: String) throws(SlipwayError) -> Int {
        let text = try node.string(what)
        guard let days = Int(text.hasSuffix("d") ? String(text.dropLast()) : text), days >= 1 else {
            throw node.location.error("\(what) must be a number of days such as 30d, found '\(text)'")
        }
        return days
    }
}
