import AsyncHTTPClient
import Foundation
import NIOCore
import NIOPosix
import NIOSSL

/// What went wrong reaching a server, as the end of one line (`Connection refused`, `no answer
/// within 30s`): NIO's and async-http-client's own texts are dumps of their types, with
/// unbalanced parentheses, that an operator cannot act on.
enum ConnectionProblem {
    /// `error` from reaching `host`, where the whole exchange may take `waited` seconds and
    /// connecting `connectWithin`.
    static func text(_ error: any Error, host: String, waited: Double, connectWithin: Double) -> String {
        switch error {
        case let error as HTTPClientError where error == .deadlineExceeded || error == .readTimeout:
            "no answer within \(DurationText.format(waited))"
        case let error as HTTPClientError where error == .connectTimeout || error == .getConnectionFromPoolTimeout:
            "no connection within \(DurationText.format(connectWithin))"
        case let error as HTTPClientError where error == .remoteConnectionClosed:
            "the connection closed before an answer"
        case let error as HTTPClientError where error == .tlsHandshakeTimeout:
            "no TLS handshake within \(DurationText.format(connectWithin))"
        case ChannelError.connectTimeout:
            "no connection within \(DurationText.format(connectWithin))"
        case let error as NIOConnectionError:
            if error.dnsAError != nil || error.dnsAAAAError != nil, error.connectionErrors.isEmpty {
                "cannot find \(host) (DNS)"
            } else if let last = error.connectionErrors.last {
                text(last.error, host: host, waited: waited, connectWithin: connectWithin)
            } else {
                "no address to connect to for \(host)"
            }
        case let error as IOError:
            String(cString: strerror(error.errnoCode))
        case NIOSSLError.handshakeFailed(let reason) where "\(reason)".contains("CERTIFICATE_VERIFY_FAILED"):
            "its certificate is not signed by an authority this machine trusts (\(CertificateTrust.variable) names a bundle to trust)"
        case let error as NIOSSLExtraError where error == .failedToValidateHostname:
            "its certificate is not for \(host)"
        case NIOSSLError.handshakeFailed:
            "the TLS handshake failed"
        default:
            Self.oneLine("\(error)")
        }
    }

    /// Any other error's text on one line, its parentheses balanced.
    static func oneLine(_ text: String) -> String {
        var depth = 0
        var line = ""
        for character in text where !character.isNewline {
            if character == "(" { depth += 1 }
            if character == ")" {
                guard depth > 0 else { continue }
                depth -= 1
            }
            line.append(character)
        }
        return line + String(repeating: ")", count: depth)
    }
}
