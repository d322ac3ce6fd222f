import Foundation
import NIOSSL

/// Which certificate authorities Slipway's https calls trust: the system's, or the bundle in
/// `SSL_CERT_FILE` as OpenSSL, curl and the `aws` CLI read it, so a platform behind a private CA
/// (or a corporate proxy) is reached the way the operator's other tools reach it.
public struct CertificateTrust: Sendable, Equatable {
    public static let variable = "SSL_CERT_FILE"

    /// A PEM bundle that replaces the system's roots, as `SSL_CERT_FILE` does for OpenSSL; nil
    /// for the system's roots.
    public var bundle: String?

    public init(bundle: String? = nil) {
        self.bundle = bundle
    }

    /// The trust `environment` asks for.
    public init(environment: [String: String]) {
        let path = environment[Self.variable] ?? ""
        self.init(bundle: path.isEmpty ? nil : path)
    }

    /// The trust of this process's environment, read once.
    public static let process = CertificateTrust(environment: ProcessInfo.processInfo.environment)

    /// A client configuration that verifies servers' certificates and names against these roots.
    public var clientConfiguration: TLSConfiguration {
        var configuration = TLSConfiguration.makeClientConfiguration()
        if let bundle { configuration.trustRoots = .file(bundle) }
        return configuration
    }
}
