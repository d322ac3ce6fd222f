extension SlipwayError.Reason {
    /// A projection rebuild that cannot start, stopped, or was not switched.
    public enum ProjectionProblem: Sendable, Equatable {
        /// The component's `database:` block declares no `projections:`.
        case noneDeclared(component: String, path: String)
        case unknown(name: String, component: String, declared: [String])
        /// A rebuild or switch step names a goal the component's Makefile lacks.
        case missingGoal(goal: String, component: String, path: String)
        /// Another process holds the projection's advisory lock.
        case rebuildRunning(name: String, database: String)
        case noRebuildRecorded(name: String)
        /// The rebuild stopped; `resume` says from where the next run goes on (nil: it cannot).
        case rebuildStopped(name: String, version: Int, reason: String, resume: String?)
        /// The compare found `count` differences and nobody accepted them.
        case differs(name: String, version: Int, liveVersion: Int, count: Int)
        case switchStepFailed(status: Int32)
        case notSwitched(name: String, version: Int, problem: String)

        var category: SlipwayError.Category {
            switch self {
            case .noneDeclared, .unknown, .missingGoal: .usage
            default: .failure
            }
        }

        var line: String {
            switch self {
            case .noneDeclared(let component, let path):
                "\(component) declares no projections: add `projections: [{name: NAME, rebuild: COMMAND}]` to its database: in \(path)/slipway.yml"
            case .unknown(let name, let component, let declared):
                "\(component) has no projection '\(name)' (declared: \(declared.joined(separator: ", ")))"
            case .missingGoal(let goal, let component, let path):
                "\(path)/Makefile has no goal '\(goal)' (a projection of \(component) names it)"
            case .rebuildRunning(let name, let database):
                "another rebuild of projection \(name) is running on database '\(database)'"
            case .noRebuildRecorded(let name):
                "projection \(name): no rebuild recorded"
            case .rebuildStopped(let name, let version, let reason, nil):
                "projection \(name) v\(version): \(reason)"
            case .rebuildStopped(let name, let version, let reason, let resume?):
                "projection \(name) v\(version): \(reason); run the rebuild again to resume \(resume)"
            case .differs(let name, let version, let liveVersion, let count):
                "projection \(name) v\(version) differs from the live v\(liveVersion) (\(count) differences above): "
                    + "not switched; run it again to compare again, with --restart after fixing the rebuild, or --accept-differences --reason TEXT to switch anyway"
            case .switchStepFailed(let status):
                "the switch step exited with status \(status)"
            case .notSwitched(let name, let version, let problem):
                "projection \(name) v\(version) not switched: \(problem)"
            }
        }
    }
}
