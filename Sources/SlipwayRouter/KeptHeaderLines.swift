/// Which header lines of a head go on, by their index among the head's lines, and the bytes they
/// take with their line ends. Most heads have under 64 lines: a bit each, nothing allocated.
struct KeptHeaderLines {
    private(set) var byteCount = 0
    private var omitted: UInt64 = 0
    private var omittedPast64: [Bool] = []
    private var count = 0

    /// Notes the next line, of `length` bytes with its line end.
    mutating func append(isKept: Bool, length: Int) {
        if count < 64 {
            if !isKept { omitted |= 1 << UInt64(count) }
        } else {
            omittedPast64.append(!isKept)
        }
        if isKept { byteCount += length }
        count += 1
    }

    /// Leaves out the line at `index`, of `length` bytes, noted as kept before.
    mutating func omit(_ index: Int, length: Int) {
        guard contains(index) else { return }
        if index < 64 {
            omitted |= 1 << UInt64(index)
        } else {
            omittedPast64[index - 64] = true
        }
        byteCount -= length
    }

    func contains(_ index: Int) -> Bool {
        index < 64 ? omitted & (1 << UInt64(index)) == 0 : !omittedPast64[index - 64]
    }
}
