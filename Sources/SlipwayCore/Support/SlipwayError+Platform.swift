import Foundation

extension SlipwayError.Reason {
    /// A cloud platform that Slipway calls through its API or command line.
    public enum Platform: String, Sendable, Equatable {
        case cloudflare = "Cloudflare"
        case aws = "AWS"
        case doppler = "Doppler"
        case neon = "Neon"
    }

    /// A cloud platform's API or CLI that refused, failed, or answered what cannot be read.
    /// `operation` is what was asked (`GET /zones`, `lambda update-alias`, or the config the
    /// secrets are of); whatever failed, traffic stays where it was (nothing deployed, for Doppler).
    public enum PlatformProblem: Sendable, Equatable {
        /// The variable holding the platform's token is not set.
        case credentialMissing(Platform, variable: String, operation: String)
        /// The aws CLI found no credentials at all.
        case awsCredentialsMissing(operation: String)
        /// The platform refused the credential (HTTP 401/403, or an AWS credential error code as `status`).
        case credentialRefused(Platform, credential: String, status: String, reason: String?, operation: String)
        /// The platform refused the operation, with its HTTP status when there is one.
        case refused(Platform, operation: String, status: Int?, message: String)
        /// The answer is empty (`problem` nil) or cannot be read.
        case unreadableAnswer(Platform, operation: String, problem: String?)
        /// Retries of an operation ran out of time.
        case stillFailing(Platform, operation: String, attempts: Int, within: TimeInterval, last: String)
        /// The platform could not be reached at `host`.
        case unreachable(Platform, operation: String, host: String, problem: String)
        /// `variable` holds `value`, which does not make a URL (with `path`, when given).
        case notAURL(variable: String, value: String, path: String?)
        case noCloudflareAccount
        /// The aws CLI could not be started.
        case awsCLIMissing(problem: String)

        var category: SlipwayError.Category {
            switch self {
            case .notAURL, .noCloudflareAccount: .usage
            default: .failure
            }
        }

        /// What a failed call left as it was. A Neon call that got no answer may still have been
        /// done, so nothing is claimed for it: the branches say.
        private static func consequence(_ platform: Platform) -> String {
            switch platform {
            case .doppler: "; nothing was deployed"
            case .neon: "; see the project's branches for what Neon did"
            case .cloudflare, .aws: "; traffic stays where it was"
            }
        }

        /// How a line names `operation` on `platform`: Doppler's name its project and config,
        /// which say Doppler already.
        static func subject(_ platform: Platform, _ operation: String) -> String {
            platform == .doppler ? operation : "\(platform.rawValue) \(operation)"
        }

        var line: String {
            let stays = "traffic stays where it was"
            switch self {
            case .credentialMissing(.doppler, let variable, let operation):
                return "\(variable) is not set: the secrets come from \(operation); nothing was deployed"
            case .credentialMissing(.neon, let variable, let operation):
                return "\(variable) is not set, so Slipway cannot call Neon (\(operation)); no branch was changed"
            case .credentialMissing(let platform, let variable, let operation):
                return "\(variable) is not set, so Slipway cannot call \(platform.rawValue) (\(operation)); \(stays)"
            case .awsCredentialsMissing(let operation):
                return "the aws CLI found no credentials (set AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY, or AWS_PROFILE) "
                    + "on aws \(operation); \(stays)"
            case .credentialRefused(let platform, let credential, let status, let reason, let operation):
                let said = "\(platform.rawValue) refused \(credential) (\(status)\(reason.map { ": \($0)" } ?? ""))"
                switch platform {
                case .doppler: return "\(said) for \(operation); nothing was deployed"
                case .aws: return "\(said) on aws \(operation); \(stays)"
                case .cloudflare: return "\(said) on \(operation); \(stays)"
                case .neon: return "\(said) on \(operation); no branch was changed"
                }
            case .refused(.doppler, let operation, let status, let message):
                return "Doppler answered \(status.map { "\($0)" } ?? "an error") for \(operation): \(message); nothing was deployed"
            case .refused(.aws, let operation, _, let message):
                return "aws \(operation) failed: \(message)"
            case .refused(let platform, let operation, let status, let message):
                return "\(platform.rawValue) refused \(operation)\(status.map { " (\($0))" } ?? ""): \(message)"
            case .unreadableAnswer(.doppler, let operation, let problem):
                return "Doppler's answer for \(operation) is not a JSON object of secrets\(problem.map { ": \($0)" } ?? "")"
            case .unreadableAnswer(.aws, let operation, let problem):
                return "aws \(operation) answered \(problem.map { "what Slipway cannot read: \($0)" } ?? "nothing")"
            case .unreadableAnswer(let platform, let operation, let problem):
                return "\(platform.rawValue) answered \(operation) with \(problem.map { "what Slipway cannot read: \($0)" } ?? "nothing")"
            case .stillFailing(let platform, let operation, let attempts, let within, let last):
                return "\(Self.subject(platform, operation)) still failing after \(attempts) attempt(s) within "
                    + "\(DurationText.format(within)) (last: \(last))" + Self.consequence(platform)
            case .unreachable(let platform, let operation, let host, let problem):
                return "cannot read \(platform == .doppler ? "the secrets of " : "")\(operation) from \(host): \(problem)" + Self.consequence(platform)
            case .notAURL(let variable, let value, nil):
                return "\(variable) \(value) is not a URL"
            case .notAURL(let variable, let value, let path?):
                return "\(variable) \(value) does not make a URL with \(path)"
            case .noCloudflareAccount:
                return "no Cloudflare account: set cloudflare.account_id or CLOUDFLARE_ACCOUNT_ID"
            case .awsCLIMissing(let problem):
                return "cannot run the aws CLI (install it: pip install awscli): \(problem)"
            }
        }
    }
}
