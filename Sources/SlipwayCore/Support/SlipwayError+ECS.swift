extension SlipwayError.Reason {
    /// What stops an ECS blue-green move: the listener in front of the two colours, their
    /// services and target groups, or the release's task definition. None moves traffic.
    public enum ECSProblem: Sendable, Equatable {
        case listenerNotFound(arn: String)
        /// The listener's default action forwards nowhere.
        case listenerNotForwarding
        /// The listener forwards to `targetGroup`, which is neither colour's: Slipway does not take it over.
        case listenerForwardsElsewhere(targetGroup: String)
        case listenerFavoursNeither
        /// The listener still sends `weights` to `color`, so it is not idle.
        case colorNotIdle(SlotColor, weights: String)
        /// describe-services found no `service` in `cluster`; `reason` is what ECS said.
        case serviceMissing(service: String, cluster: String, reason: String)
        /// The task definition at `path` is not a JSON object.
        case taskDefinitionUnreadable(path: String)
        case noContainerDefinitions(path: String)
        /// No container of the task definition runs `image`, so none takes `version`.
        case noContainerRuns(path: String, image: String, version: String)
        /// The service's primary deployment of `taskDefinition` failed.
        case deploymentFailed(taskDefinition: String, service: String)
        /// The service did not run `taskDefinition` within `checks`; `last` is what it ran then.
        case serviceDidNotRun(service: String, taskDefinition: String, checks: Int, last: String)
        /// The colour's target group had no healthy targets within `checks`; `last` is their states then.
        case targetGroupUnhealthy(SlotColor, checks: Int, last: String)

        var line: String {
            switch self {
            case .listenerNotFound(let arn):
                "listener \(arn) not found"
            case .listenerNotForwarding:
                "the listener's default action does not forward to a target group"
            case .listenerForwardsElsewhere(let targetGroup):
                "the listener forwards to \(targetGroup), which is neither aws.target_groups.blue nor green"
            case .listenerFavoursNeither:
                "the listener favours neither colour"
            case .colorNotIdle(let color, let weights):
                "the listener still sends \(weights) of traffic, so the \(color) service is not idle; nothing was changed"
            case .serviceMissing(let service, let cluster, let reason):
                "ECS service \(service) in cluster \(cluster): \(reason)"
            case .taskDefinitionUnreadable(let path):
                "cannot read a task definition (a JSON object) from \(path)"
            case .noContainerDefinitions(let path):
                "\(path) has no containerDefinitions"
            case .noContainerRuns(let path, let image, let version):
                "no container in \(path) runs \(image) (aws.image), so none can take version \(version)"
            case .deploymentFailed(let taskDefinition, let service):
                "the deployment of \(taskDefinition) to \(service) failed; the listener was not changed"
            case .serviceDidNotRun(let service, let taskDefinition, let checks, let last):
                "\(service) did not run \(taskDefinition) after \(checks) checks (\(last)); the listener was not changed"
            case .targetGroupUnhealthy(let color, let checks, let last):
                "the \(color) target group never reported healthy targets after \(checks) checks (\(last)); the listener was not changed"
            }
        }
    }
}
