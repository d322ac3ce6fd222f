extension SlipwayError.Reason {
    /// A Unix socket that could not be made, reached, or talked over.
    public enum SocketProblem: Sendable, Equatable {
        /// `path` is longer than the kernel's `sun_path` takes.
        case pathTooLong(path: String)
        /// socket(2) failed.
        case cannotCreate(problem: String)
        case cannotListen(path: String, problem: String)
        case cannotConnect(path: String, problem: String)
        /// The listening process is another user's.
        case foreignOwner(path: String, uid: UInt32)
        /// The peer closed after `sent` of `total` bytes of a request.
        case closedEarly(sent: Int, total: Int)
        case writeFailed(problem: String)
        case noAnswer(withinSeconds: Int)
        case closedBeforeAnswer

        var line: String {
            switch self {
            case .pathTooLong(let path):
                "socket path \(path) is \(path.utf8.count) bytes; it must stay under 108"
            case .cannotCreate(let problem):
                "socket: \(problem)"
            case .cannotListen(let path, let problem):
                "cannot listen on \(path): \(problem)"
            case .cannotConnect(let path, let problem):
                "cannot connect to \(path): \(problem)"
            case .foreignOwner(let path, let uid):
                "the process listening on \(path) runs as uid \(uid), not as you: refusing to talk to it"
            case .closedEarly(let sent, let total):
                "the other end closed the connection after \(sent) of \(total) bytes"
            case .writeFailed(let problem):
                "write: \(problem)"
            case .noAnswer(let seconds):
                "no answer within \(seconds)s"
            case .closedBeforeAnswer:
                "the connection closed before an answer"
            }
        }
    }
}
