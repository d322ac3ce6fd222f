/// A colour as a theme names it: the terminal's own, one of the 256 indexed colours, or RGB.
enum ThemeColor: Equatable, Sendable {
    case terminalDefault
    case indexed(Int)
    case rgb(red: Int, green: Int, blue: Int)

    static let names = [
        "black", "red", "green", "yellow", "blue", "magenta", "cyan", "white",
        "bright-black", "bright-red", "bright-green", "bright-yellow", "bright-blue", "bright-magenta", "bright-cyan",
        "bright-white",
    ]

    /// `red`, `bright-cyan`, `208`, `#ff8800` or `default`; nil for anything else.
    init?(_ text: String) {
        let text = text.lowercased()
        if text == "default" {
            self = .terminalDefault
        } else if let index = Self.names.firstIndex(of: text) {
            self = .indexed(index)
        } else if let number = Int(text), (0...255).contains(number) {
            self = .indexed(number)
        } else if text.count == 7, text.first == "#", let value = Int(text.dropFirst(), radix: 16) {
            self = .rgb(red: value >> 16, green: (value >> 8) & 0xff, blue: value & 0xff)
        } else {
            return nil
        }
    }

    /// The colour number for a terminal with `available` colours (-1 is the terminal's own):
    /// RGB goes to the nearest of the 6x6x6 cube, or of the eight basic colours on small terminals.
    func number(available: Int) -> Int {
        switch self {
        case .terminalDefault:
            return -1
        case .indexed(let index):
            return index < available ? index : index % 8
        case .rgb(let red, let green, let blue):
            if available >= 256 {
                let level = { (value: Int) in value < 48 ? 0 : value < 115 ? 1 : (value - 35) / 40 }
                return 16 + 36 * level(red) + 6 * level(green) + level(blue)
            }
            let bit = { (value: Int) in value >= 128 ? 1 : 0 }
            return bit(red) + 2 * bit(green) + 4 * bit(blue)
        }
    }
}
