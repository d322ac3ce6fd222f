/// One check a pipeline's quality-gates job made of a release, kept on its `job.finished` event
/// for the production checklist: the tests, each gate condition (by its metric's name), the
/// `bench` goal. `{"name": "new_coverage", "status": "passed", "detail": "82.0% (fails below 80.0%)"}`.
public struct GateCheckRecord: Codable, Sendable, Equatable {
    public enum Status: String, Codable, Sendable {
        case passed
        case failed
        /// Not made: turned off, or nothing to make it with (no `test` goal), as `detail` says.
        case skipped
    }

    public var name: String
    public var status: Status
    public var detail: String

    public init(name: String, status: Status, detail: String) {
        self.name = name
        self.status = status
        self.detail = detail
    }
}
