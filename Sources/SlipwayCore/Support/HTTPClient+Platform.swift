import AsyncHTTPClient
import NIOCore

extension HTTPClient {
    /// The client of every platform API call (Cloudflare, Doppler, Neon, alert sinks): the shared
    /// client's settings, trusting the roots this process's environment names.
    public static let platform = HTTPClient(configuration: .platform(trust: .process))
}

extension HTTPClient.Configuration {
    /// Seconds a platform client waits for a connection, apart from the whole call's timeout.
    public static let platformConnectTimeout: Double = 5

    /// The shared client's settings with `trust`'s roots for https. A connection not made within
    /// `platformConnectTimeout` fails that attempt, and a failed connection fails it at once:
    /// otherwise async-http-client tries to connect again and again until the call's own timeout
    /// (30 s), and the caller's retries, with their backoff and their log lines, never happen.
    public static func platform(trust: CertificateTrust) -> Self {
        var configuration = Self.singletonConfiguration
        configuration.tlsConfiguration = trust.clientConfiguration
        configuration.timeout.connect = .milliseconds(Int64(platformConnectTimeout * 1000))
        configuration.connectionPool.retryConnectionEstablishment = false
        return configuration
    }
}
