import Foundation

/// How Slipway drives a component's goals (`test`, `build`, `deploy`, `health-check`,
/// `switch-traffic`): through its own Makefile, or, for the `local` target without one,
/// through the workspace's shared `deploy/local.mk`.
public enum DeployMethod: Sendable, Equatable {
    case makefile
    case localTemplate(URL)

    public static func resolve(for component: Component, in workspace: Workspace) throws(SlipwayError) -> DeployMethod {
        if component.hasGoal("deploy") { return .makefile }
        let template = workspace.root.appendingPathComponent("deploy/local.mk")
        if component.target == "local", FileManager.default.fileExists(atPath: template.path) {
            return .localTemplate(template)
        }
        throw SlipwayError(.target(.noDeployMethod(component: component.path, hasMakefile: component.makefile != nil, target: component.target)))
    }

    /// Whether `goal` can be run for the component this way.
    public func provides(_ goal: String, for component: Component) -> Bool {
        switch self {
        case .makefile: return component.hasGoal(goal)
        case .localTemplate:
            return ["build", "deploy", "health-check", "switch-traffic", "test"].contains(goal) || component.hasGoal(goal)
        }
    }

    /// The `make` command for `goal`, with the seed's variables as make arguments.
    public func command(
        goal: String, component: Component, directory: URL, workspace: Workspace, variables: [(String, String)],
        runID: String?
    ) -> StageCommand {
        var arguments = ["--no-print-directory"]
        if case .localTemplate(let template) = self {
            arguments += ["-f", template.path, "APP_NAME=\(component.name)"]
        }
        arguments.append(goal)
        arguments += variables.map { "\($0.0)=\($0.1)" }
        var environment: [String: String?] = [
            "SLIPWAY_WORKSPACE": workspace.root.path,
            "SLIPWAY_STATE_DIR": workspace.stateDirectory.path,
            "SLIPWAY_COMPONENT": component.name,
            // A parent make (make test, make demo) must not leak its flags or jobserver in.
            "MAKEFLAGS": nil, "MFLAGS": nil, "MAKELEVEL": nil, "MAKEOVERRIDES": nil,
        ]
        if let runID { environment["SLIPWAY_RUN_ID"] = runID }
        return StageCommand(executable: "make", arguments: arguments, directory: directory, environment: environment)
    }
}
