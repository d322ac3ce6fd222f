/// The two-person rule of an environment (`approvals:` in its `roles:` block): a run request
/// into it waits until `approvals` people with the approver role, other than the requester,
/// approve it, and ends as expired after `timeout` seconds without them.
public struct ApprovalRule: Sendable, Equatable {
    public static let defaultTimeout = 3600.0

    public var approvals: Int
    public var timeout: Double

    public init(approvals: Int, timeout: Double = Self.defaultTimeout) {
        self.approvals = approvals
        self.timeout = timeout
    }
}
