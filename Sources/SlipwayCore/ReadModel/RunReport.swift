/// One run as `runs show` prints it: the record, the stages it finished and its output.
public struct RunReport: Sendable, Equatable {
    public var run: RunRecord
    /// The details of each `stage.finished` event, in the order they were recorded.
    public var stages: [EventDetails]
    public var output: [OutputLine]

    public init(run: RunRecord, stages: [EventDetails], output: [OutputLine]) {
        self.run = run
        self.stages = stages
        self.output = output
    }
}
