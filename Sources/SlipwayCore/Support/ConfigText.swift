/// What may be in a text value of a configuration file, and how a value is shown in an error.
enum ConfigText {
    /// Control characters (C0, DEL, C1) and the Unicode line and paragraph separators: in a
    /// path, URL, header or name they split a line of HTTP or a log, so they are refused.
    static func isControl(_ scalar: Unicode.Scalar) -> Bool {
        scalar.properties.generalCategory == .control || scalar == "\u{2028}" || scalar == "\u{2029}"
    }

    /// The first control character of `text` outside `allowed`, if any.
    static func firstControl(in text: String, allowing allowed: Set<Unicode.Scalar> = []) -> Unicode.Scalar? {
        text.unicodeScalars.first { isControl($0) && !allowed.contains($0) }
    }

    /// `text` on one line with its control characters written as escapes (`\r`, `\n`, `\t`,
    /// `\u{1B}`), so an error message never carries raw control bytes to a terminal or a log.
    static func escaped(_ text: String) -> String {
        guard firstControl(in: text) != nil else { return text }
        var result = ""
        for scalar in text.unicodeScalars {
            result += isControl(scalar) ? escape(scalar) : String(scalar)
        }
        return result
    }

    static func escape(_ scalar: Unicode.Scalar) -> String {
        switch scalar {
        case "\r": "\\r"
        case "\n": "\\n"
        case "\t": "\\t"
        case "\0": "\\0"
        default: "\\u{\(String(scalar.value, radix: 16, uppercase: true))}"
        }
    }
}
