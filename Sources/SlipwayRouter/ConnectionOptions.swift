/// What a head's `Connection` headers say, read as bytes: `close`, `keep-alive`, and the names of
/// the other headers they list (hop-by-hop for this connection, RFC 9110 section 7.6.1) as ranges
/// of the head. Requests and responses read it alike.
struct ConnectionOptions {
    private(set) var saysClose = false
    private(set) var saysKeepAlive = false
    private(set) var listedNames: [Range<Int>] = []

    mutating func read(_ bytes: UnsafeRawBufferPointer, _ value: Range<Int>) {
        // The usual values alone, without making a list of them.
        if bytes.equalsLowercased(value, "keep-alive") {
            saysKeepAlive = true
            return
        }
        if bytes.equalsLowercased(value, "close") {
            saysClose = true
            return
        }
        for token in bytes.tokens(in: value) {
            if bytes.equalsLowercased(token, "close") {
                saysClose = true
            } else if bytes.equalsLowercased(token, "keep-alive") {
                saysKeepAlive = true
            } else {
                listedNames.append(token)
            }
        }
    }
}
