import Testing
@testable import SlipwayConsole

@Suite struct FrameTests {
    @Test func putClipsAtTheRightEdge() {
        var frame = Frame(rows: 1, columns: 5)
        frame.put("abcdefgh", row: 0, column: 2)
        #expect(frame.text == "  abc")
    }

    @Test func putPadsToTheGivenWidth() {
        var frame = Frame(rows: 1, columns: 8)
        let next = frame.put("ab", row: 0, column: 0, width: 4, style: .bold)
        #expect(next == 4)
        #expect(frame[0, 3].style == .bold)
        #expect(frame[0, 4].style == .plain)
    }

    @Test func controlCharactersCannotReachTheTerminal() {
        var frame = Frame(rows: 1, columns: 6)
        frame.put("a\u{1B}[2J", row: 0, column: 0)
        #expect(frame.text == "a?[2J")
    }

    /// The ASCII shortcut answers as Unicode's table does, for every scalar up to U+2FFF and
    /// for characters of several scalars (CR LF, a letter with a combining mark, flags).
    @Test func controlCharactersAreThoseOfUnicodesTable() {
        for value in UInt32(0)...0x2FFF {
            guard let scalar = Unicode.Scalar(value) else { continue }
            #expect(Frame.isControl(Character(scalar)) == (scalar.properties.generalCategory == .control), "U+\(value)")
        }
        #expect(Frame.isControl("\r\n"))
        #expect(!Frame.isControl("e\u{301}"))
        #expect(!Frame.isControl("🇳🇱"))
        #expect(Frame.isControl(Character("\u{85}")))
    }

    /// Printable ASCII is written a byte at a time, anything else a character at a time: either
    /// way one cell per character, holding the character's first scalar.
    @Test func eachCharacterTakesOneCell() {
        var frame = Frame(rows: 3, columns: 12)
        #expect(frame.put("plain text", row: 0, column: 0) == 10)
        #expect(frame.put("cafe\u{301} \u{2026}x", row: 1, column: 0) == 7)
        #expect(frame.put("a\r\nb\tc", row: 2, column: 0) == 5)
        #expect(frame.lines == ["plain text", "cafe \u{2026}x", "a?b?c"])
    }

    @Test func writingOutsideTheFrameIsIgnored() {
        var frame = Frame(rows: 2, columns: 4)
        frame.put("x", row: 5, column: 0)
        frame.put("y", row: -1, column: 0)
        #expect(frame.text == "\n")
    }

    @Test func truncationKeepsTheWidth() {
        #expect(TextLayout.truncate("abcdefgh", to: 5, ellipsis: "~") == "abcd~")
        #expect(TextLayout.truncateLeading("/a/very/long/path", to: 6, ellipsis: "…") == "…/path")
    }
}
