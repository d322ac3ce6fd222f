import Foundation
import SlipwayCore
import SlipwayTestSupport
import Testing

/// Cloudflare's API client against the stand-in (not Cloudflare), on a virtual clock: its waits
/// before a retry go through the engine's clock, so a Retry-After of 30 s costs no test time.
@Suite struct CloudflareAPITests {
    @Test func backoffDoublesWithJitterUpToTheCap() {
        let backoff = RetryBackoff(base: 1, cap: 30)
        #expect(backoff.delay(afterAttempt: 1, random: 0) == 0.5)
        #expect(backoff.delay(afterAttempt: 1, random: 1) == 1)
        #expect(backoff.delay(afterAttempt: 3, random: 0) == 2)
        #expect(backoff.delay(afterAttempt: 3, random: 1) == 4)
        #expect(backoff.delay(afterAttempt: 10, random: 1) == 30, "capped")
        #expect(backoff.delay(afterAttempt: 10, random: 0) == 15)
    }

    @Test func retryAfterReadsSecondsAndHTTPDates() {
        let now = Date(timeIntervalSince1970: 1_800_000_000)
        #expect(RetryBackoff.retryAfter("7", now: now) == 7)
        #expect(RetryBackoff.retryAfter("Sun, 16 Jan 2028 08:00:10 GMT", now: Date(timeIntervalSince1970: 1_831_622_400)) == 10)
        #expect(RetryBackoff.retryAfter(nil, now: now) == nil)
        #expect(RetryBackoff.retryAfter("soon", now: now) == nil)
    }

    func api(_ standin: CloudflareStandin, clock: VirtualClock, deadline: Double = 120) -> CloudflareAPI {
        var settings = CloudflareSettings()
        settings.retryDeadline = deadline
        return CloudflareAPI(settings: settings, environment: standin.environment, clock: clock)
    }

    @Test func a429WaitsAsRetryAfterSaysOnTheEngineClock() async throws {
        let standin = try CloudflareStandin()
        try standin.zone("example.com", records: [])
        try standin.fault("GET", path: "/zones", status: 429, retryAfter: 30)
        let clock = VirtualClock()
        let start = clock.now()

        let zones = try await api(standin, clock: clock).call("GET", "/zones", as: [Zone].self)
        #expect(zones.map(\.name) == ["example.com"])
        #expect(clock.now().timeIntervalSince(start) == 30, "waited exactly what Retry-After said, on the engine's clock")
        #expect(try standin.log().map { $0["status"] as? Int ?? 0 } == [429, 200])
    }

    @Test func serverErrorsAreRetriedWithBackoffUntilTheDeadlineThenFail() async throws {
        let standin = try CloudflareStandin()
        try standin.fault("GET", path: "/zones", status: 500, count: 1000)
        let clock = VirtualClock()
        let start = clock.now()

        await #expect(throws: SlipwayError.self) {
            _ = try await api(standin, clock: clock, deadline: 20).call("GET", "/zones", as: [Zone].self)
        }
        let attempts = try standin.log().count
        #expect((4...7).contains(attempts), "0.5-1, 1-2, 2-4, 4-8, 8-16 s between attempts within 20 s: \(attempts)")
        #expect(clock.now().timeIntervalSince(start) <= 20, "never waits past the deadline")
    }

    @Test func aRefusedTokenFailsAtOnceNamingTheVariableNotItsValue() async throws {
        let standin = try CloudflareStandin()
        var environment = standin.environment
        environment["CLOUDFLARE_API_TOKEN"] = "not-the-token-0123456789"
        let clock = VirtualClock()
        let api = CloudflareAPI(settings: CloudflareSettings(), environment: environment, clock: clock)
        do {
            _ = try await api.call("GET", "/zones", as: [Zone].self)
            Issue.record("a refused token must fail")
        } catch {
            #expect(error.message.hasPrefix("Cloudflare refused CLOUDFLARE_API_TOKEN (401"))
            #expect(!error.message.contains("not-the-token"))
            guard case .platform(.credentialRefused(.cloudflare, "CLOUDFLARE_API_TOKEN", "401", _, "GET /zones")) = error.reason else {
                Issue.record("expected Cloudflare refusing the token, got \(error.reason)")
                return
            }
        }
        #expect(try standin.log().count == 1, "not retried")
    }

    struct Zone: Decodable, Sendable {
        var id: String
        var name: String
    }
}
