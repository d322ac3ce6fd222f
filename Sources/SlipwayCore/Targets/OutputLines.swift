/// A child's output cut into lines as it comes, where swift-subprocess's `strings()` cuts it:
/// LF, VT, FF, CR, CR LF, NEL, LS and PS end a line and are no part of it. It works on whole
/// buffers; `strings()` takes each byte through async calls, most of what a chatty build cost.
struct OutputLines {
    /// A line longer than this is cut here: one enormous line must not hold the rest back.
    static let maximumLength = 128 * 1024

    /// The unfinished line, perhaps ending in the first bytes of a separator.
    private var partial: [UInt8] = []
    /// The bytes of `partial` already looked at, none of them a separator's start.
    private var scanned = 0
    /// The last line ended with CR: an LF right after it belongs to that CR.
    private var afterCarriageReturn = false

    /// The lines `bytes` completes; what follows the last of them waits for more.
    mutating func lines(in bytes: UnsafeRawBufferPointer) -> [String] {
        var bytes = bytes[...]
        if afterCarriageReturn, bytes.first == 0x0A { bytes = bytes.dropFirst() }
        afterCarriageReturn = false
        guard !bytes.isEmpty else { return [] }
        partial.append(contentsOf: bytes)
        return cut(final: false)
    }

    /// The lines left once the output ended: the last one needs no separator after it.
    mutating func rest() -> [String] {
        cut(final: true)
    }

    private mutating func cut(final: Bool) -> [String] {
        var lines: [String] = []
        var start = 0
        var index = scanned
        let count = partial.count
        partial.withUnsafeBufferPointer { bytes in
            func end(at separator: Int, length: Int) {
                lines.append(String(decoding: bytes[start..<separator], as: UTF8.self))
                index = separator + length
                start = index
            }
            scan: while index < count {
                if index - start >= Self.maximumLength {
                    lines.append(String(decoding: bytes[start..<index], as: UTF8.self))
                    start = index
                }
                switch bytes[index] {
                case 0x0A, 0x0B, 0x0C:
                    end(at: index, length: 1)
                case 0x0D:
                    if index + 1 < count {
                        end(at: index, length: bytes[index + 1] == 0x0A ? 2 : 1)
                    } else {
                        end(at: index, length: 1)
                        afterCarriageReturn = !final
                    }
                case 0xC2:
                    // NEL is C2 85; C2 starts other characters too.
                    guard index + 1 < count else {
                        if final { index += 1; continue scan }
                        break scan
                    }
                    if bytes[index + 1] == 0x85 { end(at: index, length: 2) } else { index += 1 }
                case 0xE2:
                    // LS is E2 80 A8 and PS E2 80 A9.
                    guard index + 2 < count else {
                        if final { index += 1; continue scan }
                        break scan
                    }
                    if bytes[index + 1] == 0x80, bytes[index + 2] == 0xA8 || bytes[index + 2] == 0xA9 {
                        end(at: index, length: 3)
                    } else {
                        index += 1
                    }
                default:
                    index += 1
                }
            }
        }
        if final, start < count {
            lines.append(String(decoding: partial[start...], as: UTF8.self))
            start = count
            index = count
        }
        partial.removeFirst(start)
        scanned = index - start
        return lines
    }
}
