/// The workspace's `backups:` block: how long backups of Slipway's own store are kept.
public struct BackupSettings: Sendable, Equatable {
    /// Which backups a prune keeps: the newest `count`, or those younger than `days`.
    public enum Retention: Sendable, Equatable, CustomStringConvertible {
        case count(Int)
        case days(Int)

        public var description: String {
            switch self {
            case .count(let count): "the newest \(count)"
            case .days(let days): "\(days) day\(days == 1 ? "" : "s")"
            }
        }
    }

    /// The seed's "backups kept 30 days".
    public var retention = Retention.days(30)

    public init() {}

    func overlaid(with node: ConfigNode) throws(SlipwayError) -> BackupSettings {
        let entries = try node.mapping(allowing: ["retention"], context: "backups")
        var settings = self
        if let value = entries["retention"] {
            // A bare number counts backups; `30d` is an age in days.
            if let count = Int(try value.string("backups.retention")) {
                guard count >= 1 else { throw value.location.error("backups.retention must keep at least 1 backup, found \(count)") }
                settings.retention = .count(count)
            } else {
                let text = try value.string("backups.retention")
                guard text.hasSuffix("d"), let days = Int(text.dropLast()), days >= 1 else {
                    throw value.location.error("backups.retention must be a count (10) or days (30d), found '\(text)'")
                }
                settings.retention = .days(days)
            }
        }
        return settings
    }
}
