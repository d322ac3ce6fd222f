/// A series as one line of bars, one character per value: block elements in UTF-8, a ramp of
/// ASCII characters otherwise. A missing value is a blank.
enum Sparkline {
    static let unicodeBars = Array("▁▂▃▄▅▆▇█")
    static let asciiBars = Array("_.-:=+*#")

    /// Values at or above `ceiling` draw as the highest bar; zero as the lowest.
    static func text(_ values: [Double?], ceiling: Double, symbols: SymbolSet) -> String {
        let bars = symbols == .unicode ? unicodeBars : asciiBars
        let top = Double(bars.count - 1)
        return String(values.map { value -> Character in
            guard let value else { return " " }
            guard ceiling > 0 else { return bars[0] }
            let level = Int((min(1, max(0, value / ceiling)) * top).rounded(.up))
            return bars[level]
        })
    }
}
