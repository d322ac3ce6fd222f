import Foundation

// The recurring failures carry names of the workspace's own types (locations, roles, actions):
// an error is the one place every part of the engine reports through.
extension SlipwayError {
    /// Why an operation did not happen, with what a caller or test needs to tell cases apart.
    public enum Reason: Sendable, Equatable {
        /// A problem in a configuration file, at `file:line:col`.
        case configuration(ConfigLocation, problem: String)
        /// `reference` names no component (of `kind`, when the command deploys only apps or only services).
        case unknownComponent(String, kind: ComponentKind?, hint: NameHint?, known: [String])
        case unknownEnvironment(String, known: [String])
        case unknownRun(String)
        case unknownRequest(String)
        /// An option's `value` is not what it takes; `expected` says what it takes, with examples.
        case invalidValue(option: String, value: String, expected: String)
        /// `what` (an option or command) needs `--reason TEXT`; `why` says who reads it.
        case reasonRequired(what: String, why: String)
        /// Another run holds the deploy lock of the component in the environment.
        case lockHeld(LockHolder)
        /// The slot of `color` never answered 2xx to the health check.
        case notHealthy(component: String, color: SlotColor, checks: Int, lastAnswer: String)
        /// `production_gates: required` and `missing` says which pipeline run is lacking.
        case gateRefused(route: String, component: String, version: String, environment: String, missing: String)
        /// The actor's `role` in `roleEnvironment` is below what `action` needs; `environment` nil is every environment.
        case accessRefused(
            GuardedAction, component: String?, environment: String?, actor: String, osUser: String?, role: Role,
            roleEnvironment: String)
        /// The requester of a request tried to approve it themselves.
        case selfApproval(actor: String, requestID: String, title: String, environment: String)
        /// `what` would change an environment under the two-person rule with nothing to approve.
        case approvalsBypassed(what: String, environment: String, approvals: Int, instead: String)
        /// Someone cancelled the run while a stage waited on something; `moment` says when
        /// (`during the health check`).
        case cancelled(String)
        /// A program could not be started at all.
        case cannotRun(command: String, problem: String)
        /// A child process exited non-zero; `firstLine` is the first line it said, if any.
        case commandFailed(command: String, status: Int32, firstLine: String?)
        /// A test or scan report that cannot be read, at a line of the file or a place in its JSON.
        case malformedReport(file: String, ReportPlace, problem: String)
        /// The store file at `path` failed while `doing` something.
        case store(path: String, StoreProblem, doing: String?)
        /// Anything else, said once.
        case message(Category, String)

        /// What may follow an unknown component's name.
        public enum NameHint: Sendable, Equatable {
            /// A near name, or the full path of the same name.
            case didYouMean(String)
            /// The name is a component of the other kind.
            case otherKind(name: String, ComponentKind)
        }

        public struct LockHolder: Sendable, Equatable {
            public var component: String
            public var environment: String
            public var runID: String
            public var actor: String
            /// The holding run's process, when the run is still recorded.
            public var pid: Int32?
            public var host: String?
            public var since: Date

            public init(
                component: String, environment: String, runID: String, actor: String, pid: Int32?, host: String?, since: Date
            ) {
                self.component = component
                self.environment = environment
                self.runID = runID
                self.actor = actor
                self.pid = pid
                self.host = host
                self.since = since
            }
        }

        public enum ReportPlace: Sendable, Equatable {
            case line(Int)
            /// A JSON path such as `data[0].files[3]`; empty is the top level.
            case path(String)
        }

        /// What SQLite said, already escaped to one line.
        public enum StoreProblem: Sendable, Equatable {
            case damaged(String)
            case locked(String)
            case failed(String)
        }

        public var category: Category {
            switch self {
            case .configuration, .unknownComponent, .unknownEnvironment, .unknownRun, .unknownRequest, .invalidValue, .reasonRequired:
                .usage
            case .cancelled, .lockHeld, .notHealthy, .gateRefused, .accessRefused, .selfApproval, .approvalsBypassed,
                 .cannotRun, .commandFailed, .malformedReport, .store:
                .failure
            case .message(let category, _): category
            }
        }

        /// The one line the command line prints.
        public var line: String {
            switch self {
            case .configuration(let location, let problem):
                return ConfigText.escaped("\(location): \(problem)")
            case .unknownComponent(let reference, let kind, let hint, let known):
                let noun = kind.map { $0 == .app ? "app" : "service" } ?? "component"
                let known = known.isEmpty ? "none" : known.joined(separator: ", ")
                return ConfigText.escaped("unknown \(noun) '\(reference)'\(hint.map(\.text) ?? "") (known: \(known))")
            case .unknownEnvironment(let name, let known):
                return ConfigText.escaped("unknown environment '\(name)' (known: \(known.joined(separator: ", ")))")
            case .unknownRun(let id):
                return "unknown run '\(id)' (see 'slipway runs')"
            case .unknownRequest(let id):
                return "unknown request '\(id)'"
            case .invalidValue(let option, let value, let expected):
                return "\(option): '\(value)' is not \(expected)"
            case .reasonRequired(let what, let why):
                return "\(what) needs --reason TEXT: \(why)"
            case .lockHeld(let holder):
                let since = ISO8601DateFormatter().string(from: holder.since)
                let process = holder.pid.map { " (pid \($0) on \(holder.host ?? "?"))" } ?? ""
                return "deploy lock for \(holder.component) in \(holder.environment) is held by run \(holder.runID) "
                    + "of \(holder.actor)\(process) since \(since); wait for it or run 'slipway cancel \(holder.runID)'"
            case .notHealthy(let component, _, let checks, let lastAnswer):
                return "\(component) never became healthy after \(checks) checks; last answer: \(lastAnswer)"
            case .gateRefused(let route, let component, let version, let environment, let missing):
                return "\(route) of \(component) \(version) to \(environment) refused: \(missing) "
                    + "(production_gates: required); run the pipeline for it, or --override-gates --reason TEXT"
            case .accessRefused(let action, let component, let environment, let actor, let osUser, let role, let roleEnvironment):
                let scope = environment.map { "in \($0)" } ?? "in every environment"
                let declared = osUser.map { " (SLIPWAY_ACTOR, os user \($0))" } ?? ""
                return "refused: \(action.rawValue)\(component.map { " of \($0)" } ?? "") needs the \(action.role.rawValue) role "
                    + "\(scope); \(actor)\(declared) is \(role.withArticle) in \(roleEnvironment) (roles: in slipway.yml)"
            case .selfApproval(let actor, let requestID, let title, let environment):
                return "refused: \(actor) asked for request \(requestID) (\(title)) and may not approve it: "
                    + "the two-person rule in \(environment) needs an approver other than the requester"
            case .approvalsBypassed(let what, let environment, let approvals, let instead):
                return "refused: \(what) bypasses the two-person rule in \(environment) "
                    + "(approvals: \(approvals), roles: in slipway.yml); \(instead)"
            case .cancelled(let moment):
                return "cancelled \(moment)"
            case .cannotRun(let command, let problem):
                return "cannot run \(command): \(problem)"
            case .commandFailed(let command, let status, let firstLine):
                return "\(command): \(firstLine ?? "exit \(status)")"
            case .malformedReport(let file, .line(let line), let problem):
                return "\(file):\(line): \(problem)"
            case .malformedReport(let file, .path(let path), let problem):
                return "\(file): \(path.isEmpty ? "top level" : path): \(problem)"
            case .store(let path, let problem, let doing):
                let doing = doing.map { "\($0): " } ?? ""
                switch problem {
                case .damaged(let said):
                    return "\(doing)the store \(path) is damaged (\(said)); run 'slipway store check', and restore a backup or move it aside"
                case .locked(let said):
                    return "\(doing)the store \(path) stayed locked by another process (\(said)); "
                        + "try again, or see who holds it with 'fuser \(path)'"
                case .failed(let said):
                    return "\(doing)store \(path): \(said)"
                }
            case .message(_, let text):
                return text
            }
        }
    }
}

extension SlipwayError.Reason.NameHint {
    var text: String {
        switch self {
        case .didYouMean(let name): "; did you mean '\(name)'?"
        case .otherKind(let name, let kind): "; \(name) is a\(kind == .app ? "n app: use deploy-app" : " service: use deploy-service")"
        }
    }
}
