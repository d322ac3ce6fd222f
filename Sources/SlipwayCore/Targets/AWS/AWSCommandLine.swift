import Foundation
import Subprocess

/// The `aws` CLI as the AWS targets call it: one non-interactive process per call, `--output json`,
/// credentials, region and endpoint from the environment of whoever asked (`AWS_ACCESS_KEY_ID`,
/// `AWS_PROFILE`, `AWS_REGION`, `AWS_ENDPOINT_URL`, ...) as the CLI itself reads them. The
/// operator already has the CLI configured; Slipway adds no credential store of its own.
public struct AWSCommandLine: Sendable {
    /// Overrides the CLI's own region when the `aws:` block names one.
    public var region: String?
    /// The asker's environment; empty: this process's own.
    public var environment: [String: String]

    public init(region: String?, environment: [String: String]) {
        self.region = region
        self.environment = environment
    }

    /// Runs `aws <service> <operation> <arguments>` and decodes its JSON answer.
    public func call<Answer: Decodable>(
        _ service: String, _ operation: String, _ arguments: [String] = [], as type: Answer.Type
    ) async throws(SlipwayError) -> Answer {
        let output = try await run(service, operation, arguments)
        do {
            return try JSONDecoder().decode(Answer.self, from: Data((output.isEmpty ? "{}" : output).utf8))
        } catch {
            throw SlipwayError(.platform(.unreadableAnswer(.aws, operation: "\(service) \(operation)", problem: "\(error)")))
        }
    }

    /// Runs a call whose answer is not needed.
    public func perform(_ service: String, _ operation: String, _ arguments: [String] = []) async throws(SlipwayError) {
        _ = try await run(service, operation, arguments)
    }

    func run(_ service: String, _ operation: String, _ arguments: [String]) async throws(SlipwayError) -> String {
        var words = [service, operation] + arguments + ["--output", "json"]
        // aws CLI v1 reads only AWS_DEFAULT_REGION; v2 reads AWS_REGION too.
        if let region = region ?? variable("AWS_REGION"), !region.isEmpty { words += ["--region", region] }
        // No pager (aws CLI v2): the CLI must never wait for a terminal.
        let startingFrom: Environment
        if environment.isEmpty {
            startingFrom = .inherit.updating(["AWS_PAGER": ""])
        } else {
            var merged: [Environment.Key: String] = ["AWS_PAGER": ""]
            for (key, value) in environment where key != "AWS_PAGER" { merged[Environment.Key(stringLiteral: key)] = value }
            startingFrom = .custom(merged)
        }
        let status: TerminationStatus
        let output: String
        let errors: String
        do {
            let result = try await Subprocess.run(
                .name("aws"), arguments: Arguments(words), environment: startingFrom,
                output: .string(limit: 16 << 20), error: .string(limit: 1 << 20))
            (status, output, errors) = (result.terminationStatus, result.standardOutput, result.standardError)
        } catch {
            throw SlipwayError(.platform(.awsCLIMissing(problem: "\(error)")))
        }
        if case .exited(0) = status { return output }
        throw failure(of: "\(service) \(operation)", standardError: errors)
    }

    /// The one line a failed call ends with. A refused credential names which one, so the
    /// operator knows what to fix; nothing after it runs, so no traffic moves.
    func failure(of call: String, standardError: String) -> SlipwayError {
        let text = standardError.trimmingCharacters(in: .whitespacesAndNewlines)
        let code = Self.errorCode(in: text)
        if let code, Self.credentialErrors.contains(code) {
            return SlipwayError(.platform(.credentialRefused(.aws, credential: credential, status: code, reason: nil, operation: call)))
        }
        if text.contains("Unable to locate credentials") {
            return SlipwayError(.platform(.awsCredentialsMissing(operation: call)))
        }
        let line = text.split(separator: "\n").last.map(String.init) ?? "no output"
        return SlipwayError(.platform(.refused(.aws, operation: call, status: nil, message: line)))
    }

    /// A variable of the environment the CLI runs in.
    func variable(_ name: String) -> String? {
        environment.isEmpty ? ProcessInfo.processInfo.environment[name] : environment[name]
    }

    /// Which credential the CLI used, as the operator set it.
    var credential: String {
        if let key = variable("AWS_ACCESS_KEY_ID"), !key.isEmpty { return "the credentials of AWS_ACCESS_KEY_ID \(key)" }
        if let profile = variable("AWS_PROFILE"), !profile.isEmpty { return "the credentials of AWS_PROFILE '\(profile)'" }
        return "the aws CLI's default credentials (~/.aws/credentials)"
    }

    /// Error codes AWS answers with 401 or 403 when the caller's credentials are not accepted.
    static let credentialErrors: Set<String> = [
        "UnrecognizedClientException", "InvalidClientTokenId", "AccessDenied", "AccessDeniedException", "ExpiredToken",
        "ExpiredTokenException", "SignatureDoesNotMatch", "InvalidSignatureException", "AuthFailure", "UnauthorizedOperation",
        "IncompleteSignature", "MissingAuthenticationToken", "401", "403",
    ]

    /// The code in the CLI's `An error occurred (Code) when calling ...` line.
    static func errorCode(in text: String) -> String? {
        guard let range = text.range(of: "An error occurred (") else { return nil }
        let rest = text[range.upperBound...]
        guard let end = rest.firstIndex(of: ")") else { return nil }
        return String(rest[..<end])
    }
}
