import NIOHTTP1

extension HTTPHeaders {
    private static let hopByHopNames = [
        "connection", "keep-alive", "proxy-connection", "te", "trailer", "transfer-encoding", "upgrade",
    ]

    /// Drops the headers that describe one connection rather than the message (RFC 9110 7.6.1),
    /// including any the Connection header names; each side of the proxy frames its own.
    mutating func removeHopByHopHeaders() {
        // One pass to find what is there (on every request and response, so no Unicode-aware
        // comparisons and nothing allocated when there is nothing to drop), then one removal each.
        var present: [String] = []
        for (name, value) in self {
            if Self.hopByHopNames.contains(where: { name.equalsIgnoringASCIICase($0) }) {
                present.append(name)
            }
            if name.equalsIgnoringASCIICase("connection") {
                for token in value.utf8.split(separator: UInt8(ascii: ",")) {
                    let trimmed = token.drop { $0 == UInt8(ascii: " ") || $0 == UInt8(ascii: "\t") }
                    let end = trimmed.lastIndex { $0 != UInt8(ascii: " ") && $0 != UInt8(ascii: "\t") }
                    if let end, let listed = String(trimmed[...end]) {
                        present.append(listed)
                    }
                }
            }
        }
        for name in present {
            remove(name: name)
        }
    }
}

extension String {
    /// Header names are ASCII; this spares the Unicode machinery of `lowercased()`.
    func equalsIgnoringASCIICase(_ other: String) -> Bool {
        utf8.count == other.utf8.count
            && zip(utf8, other.utf8).allSatisfy { a, b in
                a == b || (a | 0x20 == b | 0x20 && (a | 0x20) >= UInt8(ascii: "a") && (a | 0x20) <= UInt8(ascii: "z"))
            }
    }
}
