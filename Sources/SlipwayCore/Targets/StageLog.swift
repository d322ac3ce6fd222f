/// Where a stage writes its progress: to the terminal and the run's stored output, masked.
public struct StageLog: Sendable {
    public let cancellation: CancellationFlag
    private let write: @Sendable (String) -> Void

    public init(cancellation: CancellationFlag, write: @escaping @Sendable (String) -> Void) {
        self.cancellation = cancellation
        self.write = write
    }

    public func callAsFunction(_ line: String) { write(line) }
}
