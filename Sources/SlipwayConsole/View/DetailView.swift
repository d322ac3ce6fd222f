/// The detail screen: one field a line, labels on the left, values wrapped to the width; it
/// scrolls a field at a time (the selection is the first field shown).
struct DetailView {
    static let labelWidth = 16

    let detail: DetailPane
    let selection: Int

    func draw(into frame: inout Frame, top: Int, height: Int) {
        frame.put(detail.title, row: top - 1, column: 0, style: .bold)
        let room = max(1, frame.columns - Self.labelWidth)
        var row = top
        for (index, field) in detail.fields.enumerated() where index >= selection {
            let pieces = Self.wrap(field.value, to: room)
            for (offset, piece) in pieces.enumerated() {
                guard row < top + height else { return }
                frame.put(offset == 0 ? field.label : "", row: row, column: 0, width: Self.labelWidth, style: .dim)
                frame.put(piece, row: row, column: Self.labelWidth)
                row += 1
            }
        }
    }

    /// `text` in lines of at most `width` characters, broken at spaces where it can be.
    static func wrap(_ text: String, to width: Int) -> [String] {
        guard width > 0 else { return [text] }
        var lines: [String] = []
        var line = ""
        for word in text.split(separator: " ", omittingEmptySubsequences: false) {
            var word = Substring(word)
            while word.count > width {
                if !line.isEmpty {
                    lines.append(line)
                    line = ""
                }
                lines.append(String(word.prefix(width)))
                word = word.dropFirst(width)
            }
            if line.isEmpty {
                line = String(word)
            } else if line.count + 1 + word.count <= width {
                line += " " + word
            } else {
                lines.append(line)
                line = String(word)
            }
        }
        lines.append(line)
        return lines
    }
}
