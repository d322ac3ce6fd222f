import AsyncHTTPClient

extension HTTPClient {
    /// The client of every platform API call (Cloudflare, Doppler, alert sinks): the shared
    /// client's settings, trusting the roots this process's environment names.
    public static let platform = HTTPClient(configuration: .platform(trust: .process))
}

extension HTTPClient.Configuration {
    /// The shared client's settings with `trust`'s roots for https.
    public static func platform(trust: CertificateTrust) -> Self {
        var configuration = Self.singletonConfiguration
        configuration.tlsConfiguration = trust.clientConfiguration
        return configuration
    }
}
