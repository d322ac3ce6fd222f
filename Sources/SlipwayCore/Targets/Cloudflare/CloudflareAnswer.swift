/// What Cloudflare's API answers, as far as Slipway reads it (the field names are Cloudflare's).
public enum CloudflareAnswer {
    /// Every v4 answer: `{success, errors, messages, result}`.
    struct Envelope<Result: Decodable>: Decodable {
        var success: Bool
        var errors: [Message]
        var result: Result?

        var errorText: String {
            errors.isEmpty ? "no error given" : errors.map { ($0.code.map { "\($0) " } ?? "") + $0.message }.joined(separator: "; ")
        }

        enum CodingKeys: String, CodingKey { case success, errors, result }

        init(from decoder: any Decoder) throws {
            let container = try decoder.container(keyedBy: CodingKeys.self)
            success = try container.decodeIfPresent(Bool.self, forKey: .success) ?? false
            errors = try container.decodeIfPresent([Message].self, forKey: .errors) ?? []
            result = try container.decodeIfPresent(Result.self, forKey: .result)
        }
    }

    struct Message: Decodable, Sendable {
        var code: Int?
        var message: String
    }

    /// A result Slipway does not read.
    struct Ignored: Decodable, Sendable {
        init() {}
        init(from decoder: any Decoder) throws {}
    }

    /// `GET .../pages/projects/{project}/upload-token`: the JWT the asset endpoints take.
    struct UploadToken: Decodable, Sendable {
        var jwt: String
    }

    /// A GraphQL answer: `{data, errors}`.
    struct GraphQLAnswer<Data: Decodable>: Decodable {
        var data: Data?
        var errors: [Message]?
    }

    /// A Worker version (`/workers/scripts/{script}/versions`); `workers/tag` is wrangler's `--tag`.
    public struct WorkerVersion: Decodable, Sendable, Equatable {
        public var id: String
        public var number: Int?
        public var annotations: [String: String]?

        public var tag: String? { annotations?["workers/tag"] }
    }

    struct VersionList: Decodable, Sendable {
        var items: [WorkerVersion]
    }

    /// One version's share of a deployment, in percent.
    public struct DeploymentVersion: Codable, Sendable, Equatable {
        public var versionID: String
        public var percentage: Double

        public init(versionID: String, percentage: Double) {
            self.versionID = versionID
            self.percentage = percentage
        }

        enum CodingKeys: String, CodingKey { case versionID = "version_id", percentage }
    }

    /// A deployment: which versions take the Worker's traffic, and how much each.
    public struct Deployment: Decodable, Sendable, Equatable {
        public var id: String
        public var versions: [DeploymentVersion]
    }

    struct DeploymentList: Decodable, Sendable {
        var deployments: [Deployment]
    }

    struct Zone: Decodable, Sendable {
        var id: String
        var name: String
    }

    public struct DNSRecord: Decodable, Sendable, Equatable {
        public var id: String
        public var name: String
        public var type: String
        public var content: String
        public var ttl: Int
    }
}

extension CloudflareAnswer {
    /// A Pages deployment (`/pages/projects/{project}/deployments`): `environment` is `production`
    /// or `preview`; the trigger's metadata carries the `commit_hash` and `commit_message` it was
    /// uploaded with, which Slipway tags with its version.
    public struct PagesDeployment: Decodable, Sendable, Equatable {
        public var id: String
        public var environment: String?
        public var url: String?
        public var trigger: Trigger?

        public struct Trigger: Decodable, Sendable, Equatable {
            public var metadata: Metadata?
        }

        public struct Metadata: Decodable, Sendable, Equatable {
            public var branch: String?
            public var commitHash: String?
            public var commitMessage: String?

            enum CodingKeys: String, CodingKey { case branch, commitHash = "commit_hash", commitMessage = "commit_message" }
        }

        public var isProduction: Bool { environment == "production" }
        public var branch: String? { trigger?.metadata?.branch }

        enum CodingKeys: String, CodingKey { case id, environment, url, trigger = "deployment_trigger" }
    }

    /// A Pages project: its production branch and the deployment serving production.
    public struct PagesProject: Decodable, Sendable, Equatable {
        public var name: String
        public var subdomain: String?
        public var productionBranch: String?
        public var canonicalDeployment: PagesDeployment?

        enum CodingKeys: String, CodingKey {
            case name, subdomain, productionBranch = "production_branch", canonicalDeployment = "canonical_deployment"
        }
    }
}
