/// A key press, independent of the terminal library that read it.
enum ConsoleKey: Hashable, Sendable {
    case character(Character)
    case up
    case down
    case pageUp
    case pageDown
    case home
    case end
    case enter
    case escape
    case backspace
    case tab

    /// The name shown in the footer and the help screen; ASCII so it reads in any locale.
    var label: String {
        switch self {
        case .character(" "): "space"
        case .character(let character):
            if let value = character.asciiValue, value < 32 { "^" + String(UnicodeScalar(value + 64)) } else { String(character) }
        case .up: "up"
        case .down: "down"
        case .pageUp: "PgUp"
        case .pageDown: "PgDn"
        case .home: "home"
        case .end: "end"
        case .enter: "enter"
        case .escape: "esc"
        case .backspace: "bksp"
        case .tab: "tab"
        }
    }

    /// The key a user config names: one character, `^R` for control keys, or a label above.
    init?(name: String) {
        let named: [String: ConsoleKey] = [
            "up": .up, "down": .down, "pgup": .pageUp, "pgdn": .pageDown, "home": .home, "end": .end,
            "enter": .enter, "esc": .escape, "bksp": .backspace, "tab": .tab, "space": .character(" "),
        ]
        if let key = named[name.lowercased()] {
            self = key
        } else if name.count == 1, let character = name.first {
            self = .character(character)
        } else if name.count == 2, name.first == "^", let letter = name.last?.uppercased().first?.asciiValue,
                  (64...95).contains(letter) {
            self = .character(Character(UnicodeScalar(letter - 64)))
        } else {
            return nil
        }
    }
}
