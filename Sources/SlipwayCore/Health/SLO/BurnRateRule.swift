/// One row of the multi-window, multi-burn-rate table (Google SRE workbook): fire when the burn
/// rate of both windows exceeds `factor`, clear when the short window falls below it.
public struct BurnRateRule: Sendable, Equatable, Codable {
    public var severity: AlertSeverity
    public var longMinutes: Int
    public var shortMinutes: Int
    public var factor: Double

    public init(severity: AlertSeverity, longMinutes: Int, shortMinutes: Int, factor: Double) {
        self.severity = severity
        self.longMinutes = longMinutes
        self.shortMinutes = shortMinutes
        self.factor = factor
    }

    /// `1h/5m`, `3d/6h`.
    public var name: String { "\(Self.window(longMinutes))/\(Self.window(shortMinutes))" }

    static func window(_ minutes: Int) -> String {
        if minutes % 1440 == 0 { return "\(minutes / 1440)d" }
        if minutes % 60 == 0 { return "\(minutes / 60)h" }
        return "\(minutes)m"
    }

    /// The table from FIELD-NOTES.
    public static let standard = [
        BurnRateRule(severity: .page, longMinutes: 60, shortMinutes: 5, factor: 14.4),
        BurnRateRule(severity: .page, longMinutes: 360, shortMinutes: 30, factor: 6),
        BurnRateRule(severity: .ticket, longMinutes: 1440, shortMinutes: 120, factor: 3),
        BurnRateRule(severity: .ticket, longMinutes: 4320, shortMinutes: 360, factor: 1),
    ]
}
