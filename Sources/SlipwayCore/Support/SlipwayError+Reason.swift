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
        /// A command that works on the embedded store only while a shared store (`chosen`, masked) is chosen.
        case embeddedStoreNeeded(chosen: String)
        /// The stored state of a deployment that cannot be decoded: damage `store rebuild` replaces.
        case unreadableStoredState(component: String, environment: String, problem: String)
        /// No workspace in the folder searched from or any folder above it.
        case noWorkspace(searchedFrom: String)
        /// A file or folder could not be acted on; `what` names it when its path alone does not.
        case fileAccess(FileAction, path: String, what: String? = nil, problem: String? = nil)
        /// `path` could not be given to `user` (the database server's own user when `serverUser`).
        case cannotGiveAway(path: String, user: String, serverUser: Bool, problem: String)
        /// A colour that is neither blue nor green.
        case notAColor(String)
        /// `command` works on one environment and none was given.
        case environmentRequired(command: String)
        /// A promotion from an environment to itself.
        case promotionToItself(environment: String)
        /// A run asked to stop has ended already, in `state`.
        case runNotRunning(id: String, state: RunState)
        case noCanaryInProgress(component: String, environment: String)
        /// The approver already approved the request, which needs another approver.
        case alreadyApproved(actor: String, requestID: String)
        case notAwaitingApproval(requestID: String, title: String, state: String)
        /// A secrets file of an environment that is missing or not safe to read secrets from.
        case secretsFile(path: String, environment: String, SecretsFileProblem)
        /// A gate's report file that is absent or unreadable.
        case report(file: String, ReportProblem)
        case platform(PlatformProblem)
        case target(TargetProblem)
        case ecs(ECSProblem)
        case socket(SocketProblem)
        case agent(AgentProblem)
        case git(GitProblem)
        case release(ReleaseProblem)
        case database(name: String, DatabaseProblem)
        case databaseSetup(DatabaseSetupProblem)
        case migration(MigrationProblem)
        /// The first thing that stops an apply, and how many more there are.
        case migrationPlan(MigrationPlanProblem, more: Int)
        case backup(BackupProblem)
        case projection(ProjectionProblem)
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
            case .configuration, .unknownComponent, .unknownEnvironment, .unknownRun, .unknownRequest, .invalidValue, .reasonRequired,
                 .noWorkspace, .notAColor, .environmentRequired, .promotionToItself, .secretsFile, .embeddedStoreNeeded:
                .usage
            case .cancelled, .lockHeld, .notHealthy, .gateRefused, .accessRefused, .selfApproval, .approvalsBypassed,
                 .cannotRun, .commandFailed, .malformedReport, .store, .fileAccess, .cannotGiveAway, .runNotRunning,
                 .noCanaryInProgress, .alreadyApproved, .notAwaitingApproval, .socket, .agent, .database, .migrationPlan, .ecs,
                 .unreadableStoredState:
                .failure
            case .report(_, let problem): problem.category
            case .platform(let problem): problem.category
            case .target(let problem): problem.category
            case .git(let problem): problem.category
            case .release(let problem): problem.category
            case .databaseSetup(let problem): problem.category
            case .migration(let problem): problem.category
            case .backup(let problem): problem.category
            case .projection(let problem): problem.category
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
                let since = TimeText.rfc3339(holder.since)
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
            case .unreadableStoredState(let component, let environment, let problem):
                return "the store's recorded state of \(component) in \(environment) cannot be read (\(problem)); "
                    + "'slipway store rebuild' folds it again from the events"
            case .embeddedStoreNeeded(let chosen):
                return "this command works on the embedded store's files, and the store chosen is \(chosen) "
                    + "(store: in slipway.yml or \(StoreURL.variable)); back the shared store up with PostgreSQL's own tools (pg_dump, pg_basebackup)"
            case .noWorkspace(let directory):
                return "no workspace here: no slipway.yml, apps/ or services/ in \(directory) or above (use --workspace DIR)"
            case .fileAccess(let action, let path, let what, let problem):
                return "cannot \(action.rawValue) \(what.map { "\($0) " } ?? "")\(path)\(problem.map { ": \($0)" } ?? "")"
            case .cannotGiveAway(let path, let user, let serverUser, let problem):
                return "cannot give \(path) to \(serverUser ? "the server's user " : "")\(user): \(problem)"
            case .notAColor(let text):
                return "colour must be blue or green, not '\(text)'"
            case .environmentRequired(let command):
                return "\(command): give the environment with --env ENV"
            case .promotionToItself(let environment):
                return "--from and --to are both \(environment)"
            case .runNotRunning(let id, let state):
                return "run \(id) is not running: it \(state.rawValue)"
            case .noCanaryInProgress(let component, let environment):
                return "no canary of \(component) is in progress in \(environment)"
            case .alreadyApproved(let actor, let requestID):
                return "\(actor) has already approved request \(requestID); it needs another approver"
            case .notAwaitingApproval(let requestID, let title, let state):
                return "request \(requestID) (\(title)) is not awaiting approval: it is \(state)"
            case .secretsFile(let path, let environment, let problem):
                return problem.line(path: path, environment: environment)
            case .report(let file, let problem):
                return problem.line(file: file)
            case .platform(let problem):
                return problem.line
            case .target(let problem):
                return problem.line
            case .ecs(let problem):
                return problem.line
            case .socket(let problem):
                return problem.line
            case .agent(let problem):
                return problem.line
            case .git(let problem):
                return problem.line
            case .release(let problem):
                return problem.line
            case .database(let name, let problem):
                return problem.line(database: name)
            case .databaseSetup(let problem):
                return problem.line
            case .migration(let problem):
                return problem.line
            case .migrationPlan(let problem, let more):
                return problem.line + (more > 0 ? " (and \(more) more problem\(more == 1 ? "" : "s"))" : "")
            case .backup(let problem):
                return problem.line
            case .projection(let problem):
                return problem.line
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
