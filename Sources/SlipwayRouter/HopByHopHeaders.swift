import NIOHTTP1

/// The headers of a message that describe one connection rather than the message (RFC 9110
/// 7.6.1): Connection, Keep-Alive, Proxy-Connection, TE, Trailer, Transfer-Encoding, Upgrade, and
/// any the Connection header names. Each side of the proxy frames its own, so they are left out
/// as a head is written rather than removed from a copy of it.
struct HopByHopHeaders {
    /// The names the Connection header lists; nothing is allocated for the usual `keep-alive` or
    /// `close`, which name no header that is not dropped anyway.
    private let listed: [String]

    init(of headers: HTTPHeaders) {
        var listed: [String] = []
        for (name, value) in headers where Self.namesOthers(name: name, value: value) {
            for token in value.utf8.split(separator: UInt8(ascii: ",")) {
                let trimmed = token.drop { $0 == UInt8(ascii: " ") || $0 == UInt8(ascii: "\t") }
                let end = trimmed.lastIndex { $0 != UInt8(ascii: " ") && $0 != UInt8(ascii: "\t") }
                if let end, let name = String(trimmed[...end]) {
                    listed.append(name)
                }
            }
        }
        self.listed = listed
    }

    func contains(_ name: String) -> Bool {
        Self.isStandard(name) || (!listed.isEmpty && listed.contains { name.equalsIgnoringASCIICase($0) })
    }

    /// One of the seven names that are always hop-by-hop. On every header of every request and
    /// response, so names are told apart by length before any bytes are compared.
    static func isStandard(_ name: String) -> Bool {
        switch name.utf8.count {
        case 2: name.equalsIgnoringASCIICase("te")
        case 7: name.equalsIgnoringASCIICase("trailer") || name.equalsIgnoringASCIICase("upgrade")
        case 10: name.equalsIgnoringASCIICase("connection") || name.equalsIgnoringASCIICase("keep-alive")
        case 16: name.equalsIgnoringASCIICase("proxy-connection")
        case 17: name.equalsIgnoringASCIICase("transfer-encoding")
        default: false
        }
    }

    /// A Connection header that may name other headers, which only ``init(of:)`` then finds: a
    /// pass over the headers that `isStandard` alone can tell apart can skip building this.
    static func namesOthers(name: String, value: String) -> Bool {
        name.utf8.count == 10 && name.equalsIgnoringASCIICase("connection")
            && !value.equalsIgnoringASCIICase("keep-alive") && !value.equalsIgnoringASCIICase("close")
    }
}
