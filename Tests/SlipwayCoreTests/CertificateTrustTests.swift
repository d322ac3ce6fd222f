import AsyncHTTPClient
import Foundation
@testable import SlipwayCore
import SlipwayTestSupport
import Testing

/// https as operators meet it: a server whose certificate chains to a private authority is
/// trusted only when that authority is named (`SSL_CERT_FILE`), and only for the name it was
/// issued for. Against a real TLS server on loopback (Tests/Standins/tls, certificates made by
/// trustme for the run).
@Suite struct CertificateTrustTests {
    /// An https server on loopback whose certificate is issued for `name` by an authority made
    /// for this test, written to `authority`.
    struct TLSOrigin {
        let server: StandinProcess
        let authority: String
        let folder: URL

        init(name: String) throws {
            folder = FileManager.default.temporaryDirectory.appendingPathComponent("slipway-tls-\(UUID().uuidString)")
            try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
            authority = folder.appendingPathComponent("authority.pem").path
            server = try StandinProcess("tls", arguments: ["--name", name, "--ca-out", authority])
        }

        func remove() {
            server.stop()
            try? FileManager.default.removeItem(at: folder)
        }
    }

    @Test func theEnvironmentNamesTheBundleAsOpenSSLReadsIt() {
        #expect(CertificateTrust(environment: [:]).bundle == nil)
        #expect(CertificateTrust(environment: ["SSL_CERT_FILE": ""]).bundle == nil)
        #expect(CertificateTrust(environment: ["SSL_CERT_FILE": "/etc/corp/ca.pem"]).bundle == "/etc/corp/ca.pem")
    }

    @Test func aProbeTrustsAPrivateAuthorityOnlyWhenItIsNamed() async throws {
        let origin = try TLSOrigin(name: "localhost")
        defer { origin.remove() }
        var probe = try #require(HTTPProbe(url: "https://localhost:\(origin.server.port)", path: "/health", timeout: 10))
        #expect(probe.tls)

        probe.trust = CertificateTrust(bundle: origin.authority)
        #expect(await probe.perform() == .success(HTTPProbe.Response(status: 200, body: "ok")))

        probe.trust = CertificateTrust()
        guard case .failure(let error) = await probe.perform() else {
            Issue.record("a certificate from an authority the system does not trust was accepted")
            return
        }
        #expect(error.description.contains("GET https://localhost:\(origin.server.port)/health"))
        #expect(error.description.contains("its certificate is not signed by an authority this machine trusts"))
    }

    @Test func aProbeRefusesACertificateIssuedForAnotherName() async throws {
        let origin = try TLSOrigin(name: "elsewhere.test")
        defer { origin.remove() }
        var probe = try #require(HTTPProbe(url: "https://localhost:\(origin.server.port)", path: "/health", timeout: 10))
        probe.trust = CertificateTrust(bundle: origin.authority)
        guard case .failure(let error) = await probe.perform() else {
            Issue.record("a certificate for elsewhere.test was accepted for localhost")
            return
        }
        #expect(error.description.hasSuffix("its certificate is not for localhost"), "\(error)")
    }

    @Test func thePlatformClientTrustsWhatItIsTold() async throws {
        let origin = try TLSOrigin(name: "localhost")
        defer { origin.remove() }
        let request = HTTPClientRequest(url: "https://localhost:\(origin.server.port)/v4/user/tokens/verify")

        let trusting = HTTPClient(configuration: .platform(trust: CertificateTrust(bundle: origin.authority)))
        let status = try? await trusting.execute(request, timeout: .seconds(10)).status.code
        try await trusting.shutdown()
        #expect(status == 200)

        let system = HTTPClient(configuration: .platform(trust: CertificateTrust()))
        let refused = try? await system.execute(request, timeout: .seconds(3)).status.code
        try await system.shutdown()
        #expect(refused == nil)
    }
}
