/// The parts of the `aws` CLI's JSON answers the AWS targets read, each decoded as the CLI prints
/// it (ECS and Lambda in camelCase or PascalCase as their APIs name them).
public enum AWSAnswer {
    public struct TaskDefinition: Decodable, Sendable {
        public struct Container: Decodable, Sendable {
            public var image: String?
        }

        public var taskDefinitionArn: String
        public var containerDefinitions: [Container]
    }

    public struct TaskDefinitionAnswer: Decodable, Sendable {
        public var taskDefinition: TaskDefinition
    }

    public struct Services: Decodable, Sendable {
        public struct Service: Decodable, Sendable {
            public struct Deployment: Decodable, Sendable {
                public var status: String
                public var taskDefinition: String
                public var rolloutState: String?
            }

            public var serviceName: String
            public var taskDefinition: String?
            public var deployments: [Deployment]?
        }

        public struct Failure: Decodable, Sendable {
            public var arn: String?
            public var reason: String?
        }

        public var services: [Service]
        public var failures: [Failure]?
    }

    public struct Listeners: Decodable, Sendable {
        public struct Listener: Decodable, Sendable {
            public var defaultActions: [ListenerAction]

            enum CodingKeys: String, CodingKey {
                case defaultActions = "DefaultActions"
            }
        }

        public var listeners: [Listener]

        enum CodingKeys: String, CodingKey {
            case listeners = "Listeners"
        }
    }

    public struct TargetHealth: Decodable, Sendable {
        public struct Description: Decodable, Sendable {
            public struct Health: Decodable, Sendable {
                public var state: String

                enum CodingKeys: String, CodingKey {
                    case state = "State"
                }
            }

            public var targetHealth: Health

            enum CodingKeys: String, CodingKey {
                case targetHealth = "TargetHealth"
            }
        }

        public var descriptions: [Description]

        enum CodingKeys: String, CodingKey {
            case descriptions = "TargetHealthDescriptions"
        }
    }

    public struct FunctionVersions: Decodable, Sendable {
        public struct Version: Decodable, Sendable {
            public var version: String
            public var description: String?

            enum CodingKeys: String, CodingKey {
                case version = "Version", description = "Description"
            }
        }

        public var versions: [Version]
        public var nextMarker: String?

        enum CodingKeys: String, CodingKey {
            case versions = "Versions", nextMarker = "NextMarker"
        }
    }

    public struct PublishedVersion: Decodable, Sendable {
        public var version: String

        enum CodingKeys: String, CodingKey {
            case version = "Version"
        }
    }

    public struct Alias: Decodable, Sendable {
        public struct Routing: Decodable, Sendable {
            public var additionalVersionWeights: [String: Double]?

            enum CodingKeys: String, CodingKey {
                case additionalVersionWeights = "AdditionalVersionWeights"
            }
        }

        public var functionVersion: String
        public var routingConfig: Routing?

        enum CodingKeys: String, CodingKey {
            case functionVersion = "FunctionVersion", routingConfig = "RoutingConfig"
        }
    }

    public struct MetricStatistics: Decodable, Sendable {
        public struct Datapoint: Decodable, Sendable {
            public var timestamp: String
            public var sum: Double?
            public var sampleCount: Double?
            public var extendedStatistics: [String: Double]?

            enum CodingKeys: String, CodingKey {
                case timestamp = "Timestamp", sum = "Sum", sampleCount = "SampleCount", extendedStatistics = "ExtendedStatistics"
            }
        }

        public var datapoints: [Datapoint]

        enum CodingKeys: String, CodingKey {
            case datapoints = "Datapoints"
        }
    }
}
