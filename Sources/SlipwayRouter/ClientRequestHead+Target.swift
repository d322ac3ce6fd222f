/// What the router makes of a request's Host header and target, before anything is forwarded.
enum RequestTarget: Equatable {
    /// A path (origin form), or `*` for OPTIONS, with one Host header where HTTP/1.1 needs it.
    case valid
    /// An absolute-form target (`http://host/path`) naming the host of the Host header: forwarded as the path.
    case sameHost(path: String)
    /// Answered 400, as nginx does; the reason goes in the body.
    case invalid(String)
}

extension ClientRequestHead {
    /// Checked on every request, so an ordinary one (a path and one Host) makes no string.
    var target: RequestTarget {
        guard hostCount <= 1 else { return .invalid("more than one Host header") }
        if version == .http1_1, host == nil {
            return .invalid("an HTTP/1.1 request needs a Host header")
        }
        if let host, host.isEmpty {
            return .invalid("the Host header is empty")
        }
        switch targetStart {
        case UInt8(ascii: "/"):
            return .valid
        case UInt8(ascii: "*") where targetBytes.count == 1 && method == .OPTIONS:
            return .valid
        default:
            return absoluteTarget(host: hostText)
        }
    }

    /// Another host in the target would reach the upstream as a request for a host the Host
    /// header, the logs and `X-Forwarded-Host` do not name.
    private func absoluteTarget(host: String?) -> RequestTarget {
        guard let target = AbsoluteTarget(uri) else {
            return .invalid("the request target must be a path such as /index.html")
        }
        guard let host, target.authority == AbsoluteTarget.authority(host, defaultPort: target.defaultPort) else {
            return .invalid("the request target names another host than the Host header")
        }
        return .sameHost(path: target.path)
    }
}

/// An `http://` or `https://` request target, its authority lowercased without the scheme's own port.
private struct AbsoluteTarget {
    var authority: String
    var path: String
    var defaultPort: String

    init?(_ uri: String) {
        let lowered = uri.lowercased()
        let defaultPort: String
        if lowered.hasPrefix("http://") {
            defaultPort = "80"
        } else if lowered.hasPrefix("https://") {
            defaultPort = "443"
        } else {
            return nil
        }
        let rest = uri.drop { $0 != ":" }.dropFirst(3)
        let end = rest.firstIndex { $0 == "/" || $0 == "?" || $0 == "#" } ?? rest.endIndex
        let authority = rest[..<end]
        // User information in the authority is deprecated (RFC 9110 4.2.4) and a way to mislead.
        guard !authority.isEmpty, !authority.contains("@") else { return nil }
        let path = rest[end...]
        self.authority = Self.authority(String(authority), defaultPort: defaultPort)
        self.path = path.first == "/" ? String(path) : "/" + path
        self.defaultPort = defaultPort
    }

    static func authority(_ text: String, defaultPort: String) -> String {
        let lowered = text.lowercased()
        return lowered.hasSuffix(":" + defaultPort) ? String(lowered.dropLast(defaultPort.count + 1)) : lowered
    }
}
