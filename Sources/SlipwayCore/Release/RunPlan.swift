/// Everything a run needs before it starts: what it is, the stages it runs and the events
/// that record its success or failure.
public struct RunPlan: Sendable {
    public struct Stage: Sendable {
        public var name: String
        public var command: StageCommand

        public init(name: String, command: StageCommand) {
            self.name = name
            self.command = command
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
    public var state: RunRecord.State
    public var failedStage: String?
    public var reason: String?

    public var succeeded: Bool { state == .succeeded }
}
