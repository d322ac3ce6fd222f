/// Fitting text into table columns.
enum TextLayout {
    /// `text` cut to `width` characters, ending in `ellipsis` when something was cut.
    static func truncate(_ text: String, to width: Int, ellipsis: String) -> String {
        guard width > 0 else { return "" }
        // A character is at least a byte: counting bytes is constant time, counting characters is not.
        guard text.utf8.count > width, text.count > width else { return text }
        return String(text.prefix(width - ellipsis.count)) + ellipsis
    }

    /// `text` cut from the left, keeping its end: the useful part of a long path.
    static func truncateLeading(_ text: String, to width: Int, ellipsis: String) -> String {
        guard width > 0 else { return "" }
        guard text.utf8.count > width, text.count > width else { return text }
        return ellipsis + String(text.suffix(width - ellipsis.count))
    }

    /// The width of a column: its widest value or heading, within `limit`.
    static func columnWidth(_ values: [String], heading: String, limit: Int) -> Int {
        columnWidth(longest: values.reduce(0) { max($0, $1.count) }, heading: heading, limit: limit)
    }

    /// The width of a column whose longest value is `longest` characters.
    static func columnWidth(longest: Int, heading: String, limit: Int) -> Int {
        min(limit, max(heading.count, longest))
    }
}
