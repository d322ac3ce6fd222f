import Foundation
import SlipwayCore
import Testing

/// The agent's socket protocol: every request and every answer reads back as what was written,
/// and the status keeps the keys `agent status --json` has always printed.
@Suite struct AgentProtocolCodecTests {
    static let requests: [AgentRequest] = [
        .ping, .status, .metrics, .stop, .handOver,
        .execute(requestID: "r-1", variables: ["HOME": "/home/me", "TOKEN": "s3cret"]),
        .startSlot(
            component: "web", environment: "staging", color: .green, version: "v2", command: ["make", "run"],
            directory: "/ws/apps/web", variables: ["SLIPWAY_COLOR": "green"]),
        .stopSlot(component: "web", environment: "staging", color: .blue),
        .ensureRoute(component: "web", environment: "staging", port: 8080, host: "0.0.0.0"),
        .ensureRoute(component: "web", environment: "staging", port: nil, host: nil),
        .switchTraffic(component: "web", environment: "staging", color: .green, greenWeight: 20, keepWarm: 300),
        .switchTraffic(component: "web", environment: "staging", color: .blue, greenWeight: nil, keepWarm: 0.5),
    ]

    static let status = AgentResponse.Status(
        pid: 42, socket: "/tmp/slipway-1000/agent-x.sock", routerPID: 43,
        slots: [SlotRecord(
            component: "web", environment: "staging", color: "green", version: "v2", port: 41234, pid: 44,
            pidStartTime: "", host: "", directory: "", command: "[]", variables: "{}",
            logPath: "/ws/.slipway/logs/web/staging/green.log", state: .running, restarts: 1, startedAt: .distantPast,
            retireAt: Date(timeIntervalSince1970: 1_800_000_000))],
        routes: [AgentResponse.Route(
            component: "web", environment: "staging", url: "http://127.0.0.1:8080", liveColor: "green",
            weights: ["blue": 0, "green": 100],
            counts: ["green": AgentResponse.ColorCounts(
                requests: 10, errors5xx: 1, connectionErrors: 0, p95Milliseconds: 12.5, failures: 1,
                latencyBuckets: [[1000, 9], [20000, 1]])])],
        metricsURL: "http://127.0.0.1:9100/metrics", metricsTokenFile: "/ws/.slipway/metrics.token", storeProblem: nil)

    static let responses: [AgentResponse] = [
        .pong(pid: 42, socket: "/tmp/slipway-1000/agent-x.sock"),
        .done,
        .route(port: 8080),
        .slotStarted(port: 41234, pid: 44),
        .status(status),
        .stopping,
        .handedOver(records: AgentRecords(
            routes: [RouteRecord(component: "web", environment: "staging", host: "127.0.0.1", port: 8080, liveColor: "blue", greenWeight: 0)],
            slots: [SlotRecord(
                component: "web", environment: "staging", color: "blue", version: "v1", port: 41000, pid: 45, pidStartTime: "123",
                host: "box", directory: "/ws/apps/web", command: #"["make","run"]"#, variables: "{}", logPath: "/ws/blue.log",
                state: .running, restarts: 0, startedAt: Date(timeIntervalSince1970: 1_700_000_000))],
            router: ProcessRecord(role: "router", identity: ProcessIdentity(host: "box", pid: 43, startTime: "99"), socket: "/tmp/r.sock"))),
        .handedOver(records: AgentRecords(routes: [], slots: [], router: nil)),
        .refused(reason: "no running green slot of web in staging to switch to"),
    ]

    /// As on the socket: one line of JSON each way.
    static func roundTrip<Message: Codable>(_ message: Message) throws -> (Message, String) {
        let line = String(decoding: try JSONEncoder().encode(message), as: UTF8.self)
        #expect(!line.contains("\n"))
        return (try JSONDecoder().decode(Message.self, from: Data(line.utf8)), line)
    }

    @Test(arguments: requests) func everyRequestReadsBackAsWritten(_ request: AgentRequest) throws {
        #expect(try Self.roundTrip(request).0 == request)
    }

    @Test(arguments: responses) func everyAnswerReadsBackAsWritten(_ response: AgentResponse) throws {
        #expect(try Self.roundTrip(response).0 == response)
    }

    @Test func requestsAreKeyedByTheirOperationWithColoursAsWords() throws {
        let (_, line) = try Self.roundTrip(AgentRequest.switchTraffic(
            component: "web", environment: "staging", color: .green, greenWeight: 20, keepWarm: 300))
        let object = try #require(try JSONSerialization.jsonObject(with: Data(line.utf8)) as? [String: [String: Any]])
        #expect(Array(object.keys) == ["switch"])
        #expect(object["switch"]?["color"] as? String == "green")
        #expect(object["switch"]?["green_weight"] as? Int == 20)
        #expect(object["switch"]?["keep_warm"] as? Double == 300)
    }

    @Test func aColourThatIsNoColourIsNotARequest() {
        let line = #"{"stop_slot":{"component":"web","environment":"staging","color":"purple"}}"#
        #expect(throws: DecodingError.self) { try JSONDecoder().decode(AgentRequest.self, from: Data(line.utf8)) }
    }

    @Test func theStatusKeepsTheKeysAgentStatusJSONPrints() throws {
        let data = try JSONEncoder().encode(Self.status)
        let object = try #require(try JSONSerialization.jsonObject(with: data) as? [String: Any])
        #expect(Set(object.keys) == ["ok", "pid", "socket", "router_pid", "slots", "routes", "metrics_url", "metrics_token_file"])
        #expect(object["ok"] as? Bool == true)
    }

    /// The status answers with the store's slot records, and tells of each only what it always printed.
    @Test func aSlotInTheStatusKeepsTheKeysAgentStatusJSONPrints() throws {
        var status = Self.status
        status.slots[0].host = "box"
        status.slots[0].variables = #"{"TOKEN":"s3cret"}"#
        status.slots.append(SlotRecord(
            component: "web", environment: "staging", color: "blue", version: "v1", port: 41000, pid: 45, pidStartTime: "123",
            host: "box", directory: "/ws/apps/web", command: #"["make","run"]"#, variables: "{}", logPath: "/ws/blue.log",
            state: .stopped, restarts: 0, startedAt: Date(timeIntervalSince1970: 1_700_000_000)))
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        encoder.dateEncodingStrategy = .iso8601
        let object = try #require(try JSONSerialization.jsonObject(with: try encoder.encode(status)) as? [String: Any])
        let slots = try #require(object["slots"] as? [[String: Any]])
        #expect(slots.map { Set($0.keys) } == [
            ["component", "environment", "color", "version", "port", "pid", "state", "restarts", "log_path", "warm_until"],
            ["component", "environment", "color", "version", "port", "pid", "state", "restarts", "log_path"],
        ])
        let line = String(decoding: try encoder.encode(Self.status), as: UTF8.self)
        #expect(line.contains(
            #""slots":[{"color":"green","component":"web","environment":"staging","log_path":"/ws/.slipway/logs/web/staging/green.log","#
                + #""pid":44,"port":41234,"restarts":1,"state":"running","version":"v2","warm_until":"2027-01-15T08:00:00Z"}]"#))
        let read = try JSONDecoder().decode(AgentResponse.Status.self, from: try JSONEncoder().encode(status))
        #expect(read.slots.map(\.host) == ["", ""])
        #expect(read.slots.map(\.variables) == ["{}", "{}"])
        #expect(read.slots.map(\.color) == ["green", "blue"])
    }
}
