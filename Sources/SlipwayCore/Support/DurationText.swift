import Foundation

/// Durations as people write them in configuration: `90s`, `5m`, `1h30m`, `500ms`, `1d`.
public enum DurationText {
    /// Seconds for `text`, or `nil` when it is not a duration with units.
    public static func seconds(_ text: String) -> Double? {
        let units: [(suffix: String, seconds: Double)] = [("ms", 0.001), ("s", 1), ("m", 60), ("h", 3600), ("d", 86400)]
        var rest = Substring(text.trimmingCharacters(in: .whitespaces))
        guard !rest.isEmpty else { return nil }
        var total = 0.0
        while !rest.isEmpty {
            let number = rest.prefix { $0.isNumber || $0 == "." }
            guard !number.isEmpty, let value = Double(number) else { return nil }
            rest = rest.dropFirst(number.count)
            guard let unit = units.first(where: { rest.hasPrefix($0.suffix) && !(($0.suffix == "m") && rest.hasPrefix("ms")) }) else {
                return nil
            }
            total += value * unit.seconds
            rest = rest.dropFirst(unit.suffix.count)
        }
        return total
    }

    /// The shortest exact rendering, for showing defaults back to the user.
    public static func format(_ seconds: Double) -> String {
        if seconds < 1 { return "\(Int((seconds * 1000).rounded()))ms" }
        let whole = Int(seconds.rounded())
        if whole % 3600 == 0 { return "\(whole / 3600)h" }
        if whole % 60 == 0 { return "\(whole / 60)m" }
        return "\(whole)s"
    }
}
