import Foundation

/// The `local` target as the deployer sees it: releases kept on disk, slots behind the router,
/// traffic moved by weight.
extension LocalDeployment: DeployTarget {
    public var traffic: TrafficControl { .weighted }
    public var waitsForSwitch: Bool { !component.settings.autoPromote }
    public var resumesFromCheckpoint: Bool { true }

    public func releaseStages(version: String, color: SlotColor?, live: SlotColor?, source: URL, runID: String) -> [RunPlan.Stage] {
        stages(version: version, color: color ?? SlotColor.idle(whenLive: live), liveColor: live, source: source)
    }

    public func trafficMove(to color: SlotColor, state: DeploymentState?, runID: String) async throws(SlipwayError) -> TrafficMove {
        guard let slot = try await runningSlot(color: color) else {
            throw SlipwayError(.target(.slotNotRunning(component: component.name, color: color, environment: environment, toSwitchTo: true)))
        }
        let live = state?.liveColor.flatMap(SlotColor.init(rawValue:))
        if let ready = state?.ready, ready.color == color.rawValue, ready.version == slot.version {
            return TrafficMove(
                kind: .promotion(ready),
                stages: [healthGate(color: color)] + promotionStages(version: ready.version, color: color, switchBackTo: live),
                confirmedByTarget: true)
        }
        return TrafficMove(kind: .switchTo(version: slot.version), stages: [healthGate(color: color), switchStage(to: color)],
                           confirmedByTarget: true)
    }

    public func warmColor(running version: String, live: SlotColor?) async -> SlotColor? {
        let idle = SlotColor.idle(whenLive: live)
        guard await agent.answers(), let slot = try? await runningSlot(color: idle), slot.version == version else { return nil }
        return idle
    }

    public func liveCheck(state: DeploymentState?, runID: String) -> RunPlan.Stage? {
        RunPlan.Stage(name: "health-check", description: "GET \(component.settings.health.path) through the router") { log throws(SlipwayError) in
            try await checkLive(log: log)
        }
    }

    public func keepsRelease(_ version: String) -> Bool {
        FileManager.default.fileExists(atPath: engine.releaseDirectory(of: component, version: version).path)
    }

    /// Removes built releases beyond `keep_releases`, never the live or last good one in any
    /// environment nor one in a running slot.
    public func pruneReleases(output: (String) -> Void) {
        let manager = FileManager.default
        let directory = engine.workspace.stateDirectory.appendingPathComponent("releases/\(component.name)")
        guard let names = try? manager.contentsOfDirectory(atPath: directory.path),
              let states = try? engine.store.projection().states.values, let slots = try? engine.store.slots() else { return }
        let built = names.filter { !$0.hasPrefix(".") }.compactMap { name -> ReleaseRetention.BuiltRelease? in
            let marker = directory.appendingPathComponent(name).appendingPathComponent(".slipway-release").path
            guard let date = (try? manager.attributesOfItem(atPath: marker))?[.modificationDate] as? Date else { return nil }
            return ReleaseRetention.BuiltRelease(version: name, builtAt: date)
        }
        let protected = ReleaseRetention.protectedVersions(of: component.name, states: Array(states), slots: slots)
        let retention = ReleaseRetention(keep: component.settings.keepReleases)
        for version in retention.versionsToRemove(of: built, protecting: protected) {
            do {
                try manager.removeItem(at: directory.appendingPathComponent(version))
                output("removed release \(version) of \(component.name) (keep_releases: \(retention.keep))")
            } catch {
                output("could not remove release \(version) of \(component.name): \(error.localizedDescription)")
            }
        }
    }
}
