import Foundation

/// Everything the router refuses or fails at, each with a message an operator can act on.
public enum RouterError: Error, Equatable, Sendable, CustomStringConvertible, LocalizedError {
    case addressInUse(host: String, port: Int)
    case bindFailed(host: String, port: Int, reason: String)
    case routeExists(String)
    case unknownRoute(String)
    case routerShutDown
    case socketPathTooLong(path: String, byteCount: Int)
    case socketPathOccupied(path: String, reason: String)
    case controlUnreachable(path: String, reason: String)
    case controlNoAnswer(path: String)
    case invalidRequest(String)
    case malformedAnswer(String)
    /// An upstream's response the router cannot pass on; the client gets 502.
    case malformedUpstreamResponse(String)
    /// A client's request the router cannot read; the client gets 400 and the connection closes.
    case malformedRequest(String)
    /// The router answered `{"ok":false}`; the message is its `error` field.
    case rejected(String)

    public var description: String {
        switch self {
        case .addressInUse(let host, let port):
            "cannot listen on \(host):\(port): the address is already in use"
        case .bindFailed(let host, let port, let reason):
            "cannot listen on \(host):\(port): \(reason)"
        case .routeExists(let name):
            "route \"\(name)\" already exists"
        case .unknownRoute(let name):
            "no route named \"\(name)\""
        case .routerShutDown:
            "the router is shut down"
        case .socketPathTooLong(let path, let byteCount):
            "control socket path is \(byteCount) bytes, a unix socket path must stay under 108: \(path)"
        case .socketPathOccupied(let path, let reason):
            "cannot use control socket \(path): \(reason)"
        case .controlUnreachable(let path, let reason):
            "cannot reach the router at \(path): \(reason)"
        case .controlNoAnswer(let path):
            "the router at \(path) closed the connection or did not answer in time"
        case .invalidRequest(let reason):
            "invalid request: \(reason)"
        case .malformedAnswer(let reason):
            "the router's answer is not understood: \(reason)"
        case .malformedUpstreamResponse(let reason):
            "the upstream's response is malformed: \(reason)"
        case .malformedRequest(let reason):
            "the request is malformed: \(reason)"
        case .rejected(let message):
            message
        }
    }

    public var errorDescription: String? { description }
}
