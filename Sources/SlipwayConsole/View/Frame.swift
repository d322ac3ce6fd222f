/// A grid of styled cells: what `render` produces and the terminal copies to the screen.
/// Tests read it as text, with no terminal.
struct Frame: Equatable, Sendable {
    let rows: Int
    let columns: Int
    private var cells: [Cell]

    init(rows: Int, columns: Int) {
        self.rows = max(0, rows)
        self.columns = max(0, columns)
        cells = Array(repeating: .blank, count: self.rows * self.columns)
    }

    subscript(row: Int, column: Int) -> Cell {
        cells[row * columns + column]
    }

    /// Writes `text` from `column`, clipped to `width` (when given) and to the frame, and
    /// pads with blanks up to `width`. Returns the column after the written area.
    @discardableResult
    mutating func put(_ text: String, row: Int, column: Int, width: Int? = nil, style: CellStyle = .plain) -> Int {
        let end = min(columns, width.map { column + max(0, $0) } ?? columns)
        guard (0..<rows).contains(row), column < end else { return width.map { column + $0 } ?? column }
        var x = max(0, column)
        if text.utf8.allSatisfy(Self.isPrintableASCII) {
            // Most of what is drawn: a byte is a character, so no grapheme breaking is needed.
            for byte in text.utf8 {
                guard x < end else { break }
                cells[row * columns + x] = Cell(scalar: Unicode.Scalar(byte), style: style)
                x += 1
            }
        } else {
            for character in text {
                guard x < end else { break }
                // One cell per character: control characters would move the terminal's cursor.
                let scalar: Unicode.Scalar = Self.isControl(character) ? "?" : character.unicodeScalars.first ?? " "
                cells[row * columns + x] = Cell(scalar: scalar, style: style)
                x += 1
            }
        }
        if width != nil {
            while x < end {
                cells[row * columns + x] = Cell(scalar: " ", style: style)
                x += 1
            }
            return column + (width ?? 0)
        }
        return x
    }

    private static func isPrintableASCII(_ byte: UInt8) -> Bool {
        (0x20..<0x7F).contains(byte)
    }

    /// Whether any scalar of `character` is a control character (Unicode's `Cc`). ASCII, most of
    /// what is drawn, is answered without Unicode's property tables, which a frame asked once per cell.
    static func isControl(_ character: Character) -> Bool {
        character.unicodeScalars.contains { scalar in
            scalar.isASCII ? scalar.value < 0x20 || scalar.value == 0x7F : scalar.properties.generalCategory == .control
        }
    }

    /// Draws a whole row in reverse video, keeping its characters and colours.
    mutating func highlight(row: Int) {
        guard (0..<rows).contains(row) else { return }
        for x in 0..<columns {
            cells[row * columns + x].style.emphasis = .reverse
        }
    }

    /// Each row as text, without trailing blanks.
    var lines: [String] {
        (0..<rows).map { row in
            var line = String(String.UnicodeScalarView(cells[(row * columns)..<((row + 1) * columns)].map(\.scalar)))
            while line.last == " " { line.removeLast() }
            return line
        }
    }

    var text: String { lines.joined(separator: "\n") }
}
