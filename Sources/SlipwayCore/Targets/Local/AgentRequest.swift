/// One request to the agent: a JSON object on one line of its socket, keyed by the operation.
///
///     {"ping":{}}
///     {"status":{}}
///     {"metrics":{}}
///     {"stop":{}}
///     {"hand_over":{}}
///     {"execute":{"request_id":"r-1","variables":{"HOME":"/home/me"}}}
///     {"start_slot":{"component":"web","environment":"staging","color":"green","version":"v2",
///                    "command":["make","run"],"directory":"/ws/apps/web","variables":{"A":"1"}}}
///     {"stop_slot":{"component":"web","environment":"staging","color":"blue"}}
///     {"ensure_route":{"component":"web","environment":"staging","port":8080,"host":"0.0.0.0"}}
///     {"switch":{"component":"web","environment":"staging","color":"green","green_weight":20,"keep_warm":300}}
///
/// `port` and `host` of `ensure_route` and `green_weight` of `switch` may be left out. Agent and
/// CLI are one binary, so the format changes with them; nothing else reads it.
public enum AgentRequest: Codable, Sendable, Equatable {
    /// Answered at once, even while the agent is busy: a busy agent is never taken for a dead one.
    case ping
    case status
    /// The status with each colour's latency histogram, which only interval analysis needs.
    case metrics
    /// Parks the colours with traffic, stops the router, answers, and exits.
    case stop
    /// Answers every route, slot and router record the agent holds, then exits leaving the slots
    /// and the router running: what `store rebuild --from-agent` writes into a new store.
    case handOver
    /// Executes the recorded run request, with `variables` as the requester's environment
    /// (secrets included: they live only in the agent's memory for that run).
    case execute(requestID: String, variables: [String: String])
    /// Starts (or restarts) a release in one colour's slot; answered with its port and pid.
    /// `command` runs the release, as arguments (never through a shell of Slipway's).
    case startSlot(
        component: String, environment: String, color: SlotColor, version: String, command: [String],
        directory: String, variables: [String: String])
    case stopSlot(component: String, environment: String, color: SlotColor)
    /// Makes sure the component's router listener exists (on `host:port` when given); answered with its port.
    case ensureRoute(component: String, environment: String, port: Int?, host: String?)
    /// Sends traffic to `color`, or splits it by `greenWeight`; the colour left without traffic
    /// keeps running `keepWarm` seconds.
    case switchTraffic(component: String, environment: String, color: SlotColor, greenWeight: Int?, keepWarm: Double)

    enum CodingKeys: String, CodingKey {
        case ping, status, metrics, stop, handOver = "hand_over", execute, startSlot = "start_slot"
        case stopSlot = "stop_slot", ensureRoute = "ensure_route", switchTraffic = "switch"
    }

    enum ExecuteCodingKeys: String, CodingKey {
        case requestID = "request_id", variables
    }

    enum StartSlotCodingKeys: String, CodingKey {
        case component, environment, color, version, command, directory, variables
    }

    enum StopSlotCodingKeys: String, CodingKey {
        case component, environment, color
    }

    enum EnsureRouteCodingKeys: String, CodingKey {
        case component, environment, port, host
    }

    enum SwitchTrafficCodingKeys: String, CodingKey {
        case component, environment, color, greenWeight = "green_weight", keepWarm = "keep_warm"
    }
}
