import Foundation

/// `switch: dns`: blue and green are two origins, and the Cloudflare DNS record (`zone`,
/// `record`) points at the live one's content (`blue`, `green`). A switch writes the record and
/// is complete only when it reads back with the new content; the record, read back, is the record
/// of which colour is live, so a switch interrupted between its calls is never guessed at.
public struct DNSCutover: Sendable {
    public var zone: String
    public var record: String
    public var contents: AWSSettings.ColorPair
    public var ttl: Int
    var api: CloudflareAPI

    public init(component: Component, environment: String, engine: Engine) throws(SlipwayError) {
        let settings = try Self.settings(of: component, in: environment)
        zone = settings.zone ?? ""
        record = settings.record ?? ""
        contents = AWSSettings.ColorPair(blue: settings.blue ?? "", green: settings.green ?? "")
        ttl = settings.ttl
        api = CloudflareAPI(settings: settings, environment: engine.environment, clock: engine.clock)
    }

    /// The component's `cloudflare:` block, refused when a key the cutover needs is missing.
    static func settings(of component: Component, in environment: String) throws(SlipwayError) -> CloudflareSettings {
        guard let settings = component.settings.cloudflare(in: environment) else {
            throw Self.missing(component, "a cloudflare: block (zone, record, blue, green)", at: component.settings.switchLocation)
        }
        let missing = [("zone", settings.zone == nil), ("record", settings.record == nil), ("blue", settings.blue == nil),
                       ("green", settings.green == nil)].filter(\.1).map(\.0)
        guard missing.isEmpty else {
            throw Self.missing(component, "cloudflare.\(missing.joined(separator: ", cloudflare."))", at: settings.location)
        }
        return settings
    }

    static func missing(_ component: Component, _ what: String, at location: ConfigLocation?) -> SlipwayError {
        let message = "switch: dns needs \(what)"
        return location?.error(message) ?? .usage("\(component.path): \(message)")
    }

    /// The zone's id: `zone` itself when it is one (32 hex digits), else looked up by name.
    func zoneID(log: StageLog?) async throws(SlipwayError) -> String {
        if zone.count == 32, zone.allSatisfy(\.isHexDigit) { return zone }
        let zones = try await api.call("GET", "/zones", query: [URLQueryItem(name: "name", value: zone)], as: [CloudflareAnswer.Zone].self, log: log)
        guard let found = zones.first(where: { $0.name == zone }) else { throw SlipwayError(.target(.noZone(zone))) }
        return found.id
    }

    /// The record as Cloudflare has it now.
    public func current(log: StageLog? = nil) async throws(SlipwayError) -> (zone: String, record: CloudflareAnswer.DNSRecord) {
        let zoneID = try await zoneID(log: log)
        let records = try await api.call(
            "GET", "/zones/\(zoneID)/dns_records", query: [URLQueryItem(name: "name", value: record)],
            as: [CloudflareAnswer.DNSRecord].self, log: log)
        let named = records.filter { $0.name == record }
        guard let found = named.first(where: { $0.content == contents.blue || $0.content == contents.green }) ?? named.first else {
            throw SlipwayError(.target(.noDNSRecord(zone: zone, record: record)))
        }
        return (zoneID, found)
    }

    /// The colour whose content the record has, nil when it has neither.
    public func liveColor(log: StageLog? = nil) async throws(SlipwayError) -> SlotColor? {
        color(of: try await current(log: log).record.content)
    }

    func color(of content: String) -> SlotColor? {
        content == contents.blue ? .blue : content == contents.green ? .green : nil
    }

    /// Points the record at `color`'s content and reads it back.
    func point(to color: SlotColor, log: StageLog) async throws(SlipwayError) {
        let (zoneID, found) = try await current(log: log)
        let content = contents[color]
        log("DNS record \(record) (\(found.type), ttl \(found.ttl)s) has \(found.content); writing \(content), ttl \(ttl)s")
        let body: Data
        do {
            body = try JSONSerialization.data(withJSONObject: ["content": content, "ttl": ttl] as [String: Any], options: [.sortedKeys])
        } catch {
            throw .failure("cannot write the DNS record: \(error.localizedDescription)")
        }
        // PATCH is idempotent: a retry after a lost answer writes the same content again.
        _ = try await api.call("PATCH", "/zones/\(zoneID)/dns_records/\(found.id)", body: .json(body),
                               as: CloudflareAnswer.DNSRecord.self, log: log)
        let now = try await api.call("GET", "/zones/\(zoneID)/dns_records/\(found.id)", as: CloudflareAnswer.DNSRecord.self, log: log)
        guard now.content == content else {
            throw SlipwayError(.target(.readBackDiffers(.dnsRecord(record), found: now.content, wrote: content)))
        }
        log("DNS record \(record) reads back \(now.content) (ttl \(now.ttl)s): traffic goes to \(color) as resolvers' caches expire")
    }

    func stage(to color: SlotColor) -> RunPlan.Stage {
        RunPlan.Stage(name: "switch-traffic", description: "DNS record \(record) in \(zone) to \(color) (\(contents[color]))") { log throws(SlipwayError) in
            try await point(to: color, log: log)
        }
    }
}
