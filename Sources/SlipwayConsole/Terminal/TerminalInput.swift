import CNcursesw

/// Turns what `wget_wch` returned into a console message.
enum TerminalInput {
    /// `status` is wget_wch's result, `code` the key or character it stored.
    static func message(status: Int32, code: UInt32, size: () -> TerminalSize) -> ConsoleMessage? {
        if status == slipway_key_code_yes() {
            if Int32(code) == slipway_key_resize() {
                let size = size()
                return .resize(rows: size.rows, columns: size.columns)
            }
            return functionKey(Int32(code)).map(ConsoleMessage.key)
        }
        guard status != slipway_err() else { return nil }
        return character(code).map(ConsoleMessage.key)
    }

    static func functionKey(_ code: Int32) -> ConsoleKey? {
        switch code {
        case slipway_key_up(): .up
        case slipway_key_down(): .down
        case slipway_key_ppage(): .pageUp
        case slipway_key_npage(): .pageDown
        case slipway_key_home(): .home
        case slipway_key_end(): .end
        case slipway_key_enter(): .enter
        case slipway_key_backspace(): .backspace
        default: nil
        }
    }

    static func character(_ code: UInt32) -> ConsoleKey? {
        switch code {
        case 9: .tab
        case 10, 13: .enter
        case 27: .escape
        case 8, 127: .backspace
        default: Unicode.Scalar(code).map { .character(Character($0)) }
        }
    }
}
