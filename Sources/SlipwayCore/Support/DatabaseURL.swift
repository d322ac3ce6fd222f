import Foundation
import NIOSSL
import PostgresNIO

/// A PostgreSQL connection string in libpq's URL form:
/// `postgres://user:password@host:port/database?sslmode=require`, or a unix socket with the
/// socket's folder as the `host` parameter (`postgres://user@/db?host=/run/postgresql`).
public struct DatabaseURL: Sendable {
    public enum Endpoint: Sendable, Equatable {
        case tcp(host: String, port: Int)
        /// The socket file itself (`<folder>/.s.PGSQL.<port>`).
        case socket(path: String)
    }

    /// libpq's `sslmode`: `disable` and `allow`/`prefer` (try, fall back), `require` (encrypt,
    /// trust any certificate), `verify-ca`/`verify-full` (encrypt, verify the server).
    public enum TLSMode: String, Sendable {
        case disable, allow, prefer, require
        case verifyCA = "verify-ca"
        case verifyFull = "verify-full"
    }

    public var endpoint: Endpoint
    public var user: String
    public var password: String?
    public var database: String?
    public var tls: TLSMode
    /// libpq's `application_name`: how the server lists the connection in `pg_stat_activity`.
    public var applicationName: String?

    /// Parses `text`; the error never repeats the text, which holds a password.
    public init(_ text: String, name: String) throws(SlipwayError) {
        guard let components = URLComponents(string: text),
              let scheme = components.scheme, scheme == "postgres" || scheme == "postgresql" else {
            throw SlipwayError(.databaseSetup(.notAPostgresURL(of: name)))
        }
        let query = Dictionary((components.queryItems ?? []).map { ($0.name, $0.value ?? "") }) { _, last in last }
        let port = components.port ?? query["port"].flatMap(Int.init) ?? 5432
        user = components.user?.removingPercentEncoding ?? query["user"] ?? "postgres"
        password = components.password?.removingPercentEncoding ?? query["password"]
        let path = components.path.hasPrefix("/") ? String(components.path.dropFirst()) : components.path
        database = path.isEmpty ? query["dbname"] : path.removingPercentEncoding
        let host = query["host"] ?? components.host ?? ""
        if host.hasPrefix("/") {
            endpoint = .socket(path: "\(host)/.s.PGSQL.\(port)")
        } else if host.isEmpty {
            throw SlipwayError(.databaseSetup(.noHost(of: name)))
        } else {
            endpoint = .tcp(host: host, port: port)
        }
        let mode = query["sslmode"] ?? (host.hasPrefix("/") ? "disable" : "prefer")
        guard let tls = TLSMode(rawValue: mode) else {
            throw SlipwayError(.databaseSetup(.unknownSSLMode(mode, of: name)))
        }
        self.tls = tls
        applicationName = query["application_name"]
    }

    /// The password on its own, to be masked wherever it may show.
    public static func password(in text: String) -> String? {
        URLComponents(string: text)?.password?.removingPercentEncoding
    }

    /// The connection as libpq keywords, for PostgreSQL's own programs (`pg_basebackup`,
    /// `pg_dump`); the password is left out, for `PGPASSWORD`, so no command line shows it.
    public var keywords: String {
        var pairs: [(String, String)] = [("user", user)]
        switch endpoint {
        case .socket(let path):
            let socket = path as NSString
            pairs.append(("host", socket.deletingLastPathComponent))
            pairs.append(("port", socket.lastPathComponent.components(separatedBy: ".").last ?? "5432"))
        case .tcp(let host, let port):
            pairs.append(("host", host))
            pairs.append(("port", String(port)))
        }
        if let database { pairs.append(("dbname", database)) }
        pairs.append(("sslmode", tls.rawValue))
        return pairs.map { key, value in
            "\(key)='\(value.replacingOccurrences(of: "\\", with: "\\\\").replacingOccurrences(of: "'", with: "\\'"))'"
        }.joined(separator: " ")
    }

    public func configuration() throws(SlipwayError) -> PostgresConnection.Configuration {
        var configuration: PostgresConnection.Configuration
        switch endpoint {
        case .socket(let path):
            configuration = .init(unixSocketPath: path, username: user, password: password, database: database)
        case .tcp(let host, let port):
            configuration = .init(
                host: host, port: port, username: user, password: password, database: database, tls: try tlsSetting())
        }
        if let applicationName { configuration.options.additionalStartupParameters.append(("application_name", applicationName)) }
        return configuration
    }

    private func tlsSetting() throws(SlipwayError) -> PostgresConnection.Configuration.TLS {
        var configuration = TLSConfiguration.makeClientConfiguration()
        if tls != .verifyCA && tls != .verifyFull { configuration.certificateVerification = .none }
        if tls == .verifyCA { configuration.certificateVerification = .noHostnameVerification }
        do {
            switch tls {
            case .disable: return .disable
            case .allow, .prefer: return .prefer(try NIOSSLContext(configuration: configuration))
            case .require, .verifyCA, .verifyFull: return .require(try NIOSSLContext(configuration: configuration))
            }
        } catch {
            throw SlipwayError(.databaseSetup(.cannotSetUpTLS(problem: "\(error)")))
        }
    }
}
