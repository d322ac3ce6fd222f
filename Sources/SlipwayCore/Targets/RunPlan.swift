/// Everything a run needs before it starts: what it is, the stages it runs and the events
/// that record its success or failure.
public struct RunPlan: Sendable {
    public struct Stage: Sendable {
        public enum Work: Sendable {
            /// A command run as a child process (a make goal).
            case command(StageCommand)
            /// Work the engine does itself (start a slot, probe it, switch traffic); it writes
            /// progress through the log and throws to fail the stage.
            case native(description: String, perform: @Sendable (StageLog) async throws(SlipwayError) -> Void)
        }

        public var name: String
        public var work: Work
        /// Whether later stages still run when this one fails (a pipeline stage whose failed
        /// jobs must not stop unrelated ones); the run fails all the same.
        public var continuesAfterFailure = false

        public init(name: String, command: StageCommand) {
            self.name = name
            self.work = .command(command)
        }

        public init(
            name: String, description: String,
            perform: @escaping @Sendable (StageLog) async throws(SlipwayError) -> Void
        ) {
            self.name = name
            self.work = .native(description: description, perform: perform)
        }

        public var description: String {
            switch work {
            case .command(let command): return command.displayText
            case .native(let description, _): return description
            }
        }
    }

    public var id: String
    public var kind: RunKind
    public var component: String?
    public var environment: String?
    public var version: String?
    public var commit: String?
    public var forced = false
    /// Whether the run holds the component's deploy lock in its environment.
    public var takesLock = false
    public var stages: [Stage] = []
    /// Appended with `run.finished` when every stage succeeded.
    public var successEvents: [NewEvent] = []
    /// Appended with `run.finished` when a stage failed.
    public var failureEvents: [NewEvent] = []
    /// What another agent needs to make these stages again, when the run can be resumed.
    public var checkpoint: RunCheckpoint?

    public init(id: String = RunRecord.newID(), kind: RunKind, component: String?, environment: String?) {
        self.id = id
        self.kind = kind
        self.component = component
        self.environment = environment
    }

    public var title: String {
        var words = [kind.rawValue]
        if let component { words.append(component) }
        if let version { words.append(version) }
        if let environment { words += [kind == .rollback ? "in" : "to", environment] }
        return words.joined(separator: " ")
    }
}

/// How a run ended.
public struct RunResult: Sendable, Equatable {
    public var runID: String
    public var state: RunState
    public var failedStage: String?
    public var reason: String?

    public var succeeded: Bool { state == .succeeded }
}
