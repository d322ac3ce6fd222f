/// How often the agent does something to an environment's component databases
/// (`backup_schedule`, `drill_schedule`): `hourly`, `daily`, `weekly`, or a duration such as
/// `30m`, `6h`, `2d` or `1w`. The interval counts from the last one made, not from a wall-clock
/// hour, so an agent that was down catches up once instead of several times.
public struct BackupSchedule: Sendable, Equatable {
    public var seconds: Double
    /// As written in the configuration.
    public var text: String

    public init(seconds: Double, text: String) {
        self.seconds = seconds
        self.text = text
    }

    public static let hourly = BackupSchedule(seconds: 3_600, text: "hourly")
    public static let daily = BackupSchedule(seconds: 86_400, text: "daily")
    public static let weekly = BackupSchedule(seconds: 604_800, text: "weekly")

    /// Shorter than this keeps the server busy taking base backups.
    static let shortest: Double = 300

    /// The schedule `text` names; nil for `off`. Nil when `text` is no accepted form.
    static func named(_ text: String) -> BackupSchedule?? {
        switch text {
        case "off": return .some(nil)
        case "hourly": return BackupSchedule.hourly
        case "daily": return BackupSchedule.daily
        case "weekly": return BackupSchedule.weekly
        default: break
        }
        let units: [Character: Double] = ["m": 60, "h": 3_600, "d": 86_400, "w": 604_800]
        guard let unit = text.last.flatMap({ units[$0] }), let count = Int(text.dropLast()), count >= 1,
              Double(count) * unit >= shortest
        else { return nil }
        return BackupSchedule(seconds: Double(count) * unit, text: text)
    }

    /// Parses `node` as `what`; nil for `off`.
    static func parse(_ node: ConfigNode, _ what: String) throws(SlipwayError) -> BackupSchedule? {
        let text = try node.string(what)
        guard let schedule = named(text) else {
            throw node.location.error(
                "\(what) must be hourly, daily, weekly, off or a duration of at least 5m such as 6h, 2d or 1w, found '\(text)'")
        }
        return schedule
    }
}
