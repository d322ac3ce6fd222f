import Foundation

/// The `aws-lambda` target as the deployer sees it. Its colours are only the deployer's names for
/// the release going live and the one it replaces: the alias' routing is the traffic, and a
/// rollback moves the alias back to a version Lambda keeps.
extension LambdaTarget: DeployTarget {
    public var traffic: TrafficControl { .weighted }
    public var waitsForSwitch: Bool { false }

    public func releaseStages(version: String, color: SlotColor?, live: SlotColor?, source: URL, runID: String) -> [RunPlan.Stage] {
        let color = color ?? SlotColor.idle(whenLive: live)
        return [buildStage(version: version, source: source, runID: runID), publishStage(version: version, source: source),
                trafficStage(version: version, color: color, live: live)].compactMap { $0 }
    }

    public func trafficMove(to color: SlotColor, state: DeploymentState?, runID: String) async throws(SlipwayError) -> TrafficMove {
        throw SlipwayError(.target(.noColors(
            component: component.path, object: .lambdaAlias(alias, function: function), name: component.name, environment: environment)))
    }

    public func warmColor(running version: String, live: SlotColor?) async -> SlotColor? { nil }

    public func liveCheck(state: DeploymentState?, runID: String) -> RunPlan.Stage? { nil }

    /// Every published version stays in Lambda: a rollback moves the alias, with no rebuild.
    public func keepsRelease(_ version: String) -> Bool { true }

    /// The alias back on the last good published version, with no weights.
    public func restoreStages(lastGood: DeploymentState, runID: String) async throws(SlipwayError) -> [RunPlan.Stage] {
        guard let version = lastGood.liveVersion else { throw SlipwayError(.target(.noGoodRelease(component: component.name, environment: environment))) }
        return [switchStage(version: version)]
    }

    public func pruneReleases(output: (String) -> Void) {}

    /// The Slipway version the alias sends its requests to (a canary's share aside), read from
    /// the published version's description; a version published by someone else is named by its
    /// number.
    public func platformLiveVersion() async throws(SlipwayError) -> String? {
        guard let alias = try await currentAlias() else { return nil }
        let published = try await aws.call(
            "lambda", "get-function-configuration", ["--function-name", function, "--qualifier", alias.functionVersion],
            as: AWSAnswer.FunctionVersions.Version.self)
        guard let description = published.description, !description.isEmpty else { return "version \(alias.functionVersion)" }
        return description
    }

    public var metricsSource: String? { "CloudWatch" }

    /// The alias' split between published versions (named by the Slipway version each was
    /// published as), and each version's `Invocations`, `Errors` and `Duration` p95.
    public func liveMetrics(from start: Date, to end: Date) async throws(SlipwayError) -> PlatformMetrics? {
        guard let alias = try await currentAlias() else { return PlatformMetrics(shares: [], minutes: [:]) }
        let extra = alias.routingConfig?.additionalVersionWeights ?? [:]
        var split = [alias.functionVersion: max(0, 1 - extra.values.reduce(0, +))]
        for (number, weight) in extra { split[number] = weight }
        var sources: [SlotColor: CloudWatchCounts.Source] = [:]
        // CloudWatchCounts names its queries by colour: the alias' own version is blue, the weighted one green.
        let numbers = split.keys.sorted { ($0 == alias.functionVersion ? 0 : 1, $0) < ($1 == alias.functionVersion ? 0 : 1, $1) }
        for (color, number) in zip([SlotColor.blue, .green], numbers) {
            sources[color] = CloudWatchCounts.Source(
                namespace: "AWS/Lambda",
                dimensions: ["FunctionName": function, "Resource": "\(function):\(self.alias)", "ExecutedVersion": number],
                requests: "Invocations", errors: "Errors", latency: "Duration", latencyUnit: 1)
        }
        let byColor = try await CloudWatchCounts(aws: aws, since: start).countsByMinute(sources, now: end.addingTimeInterval(-1))
        let tags = (try? await descriptions(of: Set(numbers))) ?? [:]
        var shares: [PlatformShare] = []
        var minutes: [String: [Int: AgentResponse.ColorCounts]] = [:]
        for (color, number) in zip([SlotColor.blue, .green], numbers) {
            let name = tags[number] ?? "version \(number)"
            minutes[name] = byColor[color.rawValue]
            shares.append(PlatformMetrics.share(name, version: tags[number], percent: (split[number] ?? 0) * 100, minutes: byColor[color.rawValue]))
        }
        return PlatformMetrics(shares: shares, minutes: minutes)
    }

    /// The description (the Slipway version) of each published version in `numbers`.
    func descriptions(of numbers: Set<String>) async throws(SlipwayError) -> [String: String] {
        var found: [String: String] = [:]
        var marker: String?
        repeat {
            let page = try await aws.call(
                "lambda", "list-versions-by-function",
                ["--function-name", function] + (marker.map { ["--marker", $0] } ?? []), as: AWSAnswer.FunctionVersions.self)
            for version in page.versions where numbers.contains(version.version) {
                if let description = version.description, !description.isEmpty { found[version.version] = description }
            }
            marker = page.nextMarker
        } while marker != nil && found.count < numbers.count
        return found
    }
}
