extension SlipwayError.Reason {
    /// The workspace's agent (the process keeping local slots and the router) missing, busy, or
    /// speaking another build's protocol; `socket` is the path it answers on.
    public enum AgentProblem: Sendable, Equatable {
        /// The agent answered `response` to `request`.
        case unexpectedAnswer(socket: String, response: String, request: String)
        case cannotEncodeRequest
        /// The request could not be written to the agent.
        case requestNotTaken(socket: String, problem: String)
        /// The agent's line is not a response; `line` is its start.
        case notAResponse(line: String)
        /// A started agent did not answer within 15 s; its log is in `logFolder`.
        case didNotStart(logFolder: String)
        case cancelledWaiting(socket: String)
        /// Another agent holds the workspace's agent lock at `lockPath`.
        case alreadyRunning(lockPath: String)
        case alreadyAnswering(socket: String)
        case socketClosed(socket: String)
        /// The store was removed while an agent still runs.
        case storeRemoved(path: String, socket: String)
        /// No agent runs to recover the store from.
        case notRunning(socket: String)

        var line: String {
            switch self {
            case .unexpectedAnswer(let socket, let response, let request):
                "the agent on \(socket) answered \(response) to \(request): is it of another build of slipway?"
            case .cannotEncodeRequest:
                "cannot encode the agent request"
            case .requestNotTaken(let socket, let problem):
                "the agent on \(socket) did not take the request (\(problem)): was it stopped or killed?"
            case .notAResponse(let line):
                "the agent answered something that is not a response: \(line)"
            case .didNotStart(let logFolder):
                "the agent did not start within 15s; see \(logFolder)/agent.log"
            case .cancelledWaiting(let socket):
                "cancelled while waiting for the agent on \(socket)"
            case .alreadyRunning(let lockPath):
                "an agent already runs for this workspace (\(lockPath) is locked)"
            case .alreadyAnswering(let socket):
                "an agent already answers on \(socket)"
            case .socketClosed(let socket):
                "the agent's socket \(socket) closed"
            case .storeRemoved(let path, let socket):
                "there is no store at \(path), but the agent of this workspace runs (socket \(socket)): "
                    + "the store was removed; recover what the agent knows with 'slipway store rebuild --from-agent', "
                    + "or start an empty history with --new-store"
            case .notRunning(let socket):
                "no agent runs for this workspace (socket \(socket)): there is nothing to recover from"
            }
        }
    }
}
