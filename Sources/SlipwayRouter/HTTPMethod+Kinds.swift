import NIOHTTP1

extension HTTPMethod {
    /// Told by the case: `==` on methods compares their names as strings (`rawValue`), on every request.
    var isHEAD: Bool {
        if case .HEAD = self { true } else { false }
    }

    /// A request of this method defines a body, so one without is told it has none (`content-length: 0`).
    var definesBody: Bool {
        switch self {
        case .POST, .PUT, .PATCH: true
        default: false
        }
    }
}
