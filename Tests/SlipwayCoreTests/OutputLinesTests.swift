@testable import SlipwayCore
import Testing

/// A child's output is cut into lines where swift-subprocess's `strings()` cut it, whatever
/// the buffers it comes in.
@Suite struct OutputLinesTests {
    /// The lines of `chunks`, fed one buffer at a time, then the rest.
    func lines(_ chunks: [[UInt8]]) -> [String] {
        var splitter = OutputLines()
        var found: [String] = []
        for chunk in chunks {
            found += chunk.withUnsafeBytes { splitter.lines(in: $0) }
        }
        return found + splitter.rest()
    }

    func bytes(_ text: String) -> [UInt8] { Array(text.utf8) }

    @Test func everyLineBreakEndsALine() {
        let text = "a\nb\u{0B}c\u{0C}d\re\r\nf\u{85}g\u{2028}h\u{2029}i"
        #expect(lines([bytes(text)]) == ["a", "b", "c", "d", "e", "f", "g", "h", "i"])
    }

    @Test func theSameLinesWhereverTheBuffersSplit() {
        let text = "one\r\ntwo\u{85}three\u{2028}four\rfive\n\nsix é\u{2029}seven"
        let all = bytes(text)
        let whole = lines([all])
        #expect(whole == ["one", "two", "three", "four", "five", "", "six é", "seven"])
        for cut in 0...all.count {
            #expect(lines([Array(all[..<cut]), Array(all[cut...])]) == whole, "split at byte \(cut)")
        }
        #expect(lines(all.map { [$0] }) == whole, "one byte at a time")
    }

    @Test func aLineIsGivenAsSoonAsItsBreakComes() {
        var splitter = OutputLines()
        #expect(bytes("first\rsecond").withUnsafeBytes { splitter.lines(in: $0) } == ["first"])
        #expect(bytes("\r").withUnsafeBytes { splitter.lines(in: $0) } == ["second"], "a CR at a buffer's end ends its line")
        #expect(bytes("\nthird\n").withUnsafeBytes { splitter.lines(in: $0) } == ["third"], "the LF after it is no empty line")
        #expect(splitter.rest().isEmpty)
    }

    @Test func anOverlongLineIsCut() {
        let long = String(repeating: "x", count: OutputLines.maximumLength + 10)
        #expect(lines([bytes(long + "\nend")]).map(\.count) == [OutputLines.maximumLength, 10, 3])
    }

    @Test func twentyThousandLinesInBlocksComeWholeAndInOrder() {
        let text = (1...20_000).map { "CC src/module_\($0).o" }.joined(separator: "\n") + "\n"
        let all = bytes(text)
        let blocks = stride(from: 0, to: all.count, by: 4096).map { Array(all[$0..<min($0 + 4096, all.count)]) }
        #expect(lines(blocks) == (1...20_000).map { "CC src/module_\($0).o" })
    }
}
