import NIOHTTP1

/// The headers of a head that are written on, and the bytes they take, found in one pass over them.
/// The caller's test sees each header once, so it can note what it needs of the others as it goes
/// (a length, a host) instead of looking them up in passes of their own; writing the head then
/// asks nothing again.
struct HeaderSelection {
    let headers: HTTPHeaders
    /// Bytes of the kept headers as written: `name: value` and a line end each.
    private(set) var length = 0
    /// Bit `i` set: header `i` is left out. Heads of more than 64 headers use `omittedPast64` too.
    private var omitted: UInt64 = 0
    private var omittedPast64: [Bool] = []

    init(_ headers: HTTPHeaders, omitting: (_ name: String, _ value: String) -> Bool) {
        self.headers = headers
        var index = 0
        for (name, value) in headers {
            let isOmitted = omitting(name, value)
            if index < 64 {
                if isOmitted { omitted |= 1 << UInt64(index) }
            } else {
                omittedPast64.append(isOmitted)
            }
            if !isOmitted {
                length += name.utf8.count + value.utf8.count + 4
            }
            index += 1
        }
    }

    /// Whether the header at `index` (in the order of `headers`) is left out.
    func isOmitted(_ index: Int) -> Bool {
        index < 64 ? omitted & (1 << UInt64(index)) != 0 : omittedPast64[index - 64]
    }
}
