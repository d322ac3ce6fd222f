import NIOHTTP1

extension HTTPHeaders {
    private static let hopByHopNames = [
        "connection", "keep-alive", "proxy-connection", "te", "trailer", "transfer-encoding", "upgrade",
    ]

    /// Drops the headers that describe one connection rather than the message (RFC 9110 7.6.1),
    /// including any the Connection header names; each side of the proxy frames its own.
    mutating func removeHopByHopHeaders() {
        // Header names hold no whitespace, so dropping it all trims each listed name.
        let named = self["connection"].flatMap { $0.split(separator: ",") }.map {
            String($0.filter { !$0.isWhitespace })
        }
        for name in Self.hopByHopNames + named {
            remove(name: name)
        }
    }
}
