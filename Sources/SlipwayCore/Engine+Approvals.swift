import Foundation

/// The two-person rule (`approvals:` in an environment's `roles:` block): a run request into the
/// environment waits for approvers other than its requester before an agent may take it; a path
/// that changes the environment without a request is refused there, since nobody could approve it.
extension Engine {
    /// The rule in `environment`, nil where there is none.
    public func approvalRule(in environment: String) -> ApprovalRule? {
        workspace.config.roles?.approvalRule(in: environment)
    }

    /// Requests awaiting approval, oldest first; those past their time end as expired first.
    public func requestsAwaitingApproval() throws(SlipwayError) -> [RequestRecord] {
        try store.expireOverdueApprovals(now: clock.now())
        return try store.requestsAwaitingApproval()
    }

    /// Whether the actor may approve or deny `record`: an approver in its environment, and not its requester.
    public func mayDecide(_ record: RequestRecord) -> Bool {
        record.actor != identity.name && role(in: record.request.environment) >= GuardedAction.approve.role
    }

    /// Approves a request awaiting approval as the actor: an approver other than its requester.
    @discardableResult
    public func approve(requestID id: String) throws(SlipwayError) -> RequestRecord {
        let record = try store.request(id: id)
        try authorize(.approve, environment: record.request.environment, component: record.request.component)
        guard record.actor != identity.name else {
            let refusal = SlipwayError(.selfApproval(
                actor: identity.name, requestID: id, title: record.request.title, environment: record.request.environment))
            try store.append(NewEvent(
                .accessRefused, component: record.request.component, environment: record.request.environment, runID: id,
                details: EventDetails(
                    stage: GuardedAction.approve.rawValue, outcome: "another approver", reason: refusal.message, origin: origin)))
            throw refusal
        }
        return try store.approve(requestID: id, now: clock.now())
    }

    /// Denies a request awaiting approval for `reason`: its requester's command ends, exit 1.
    @discardableResult
    public func deny(requestID id: String, reason: String) throws(SlipwayError) -> RequestRecord {
        let reason = reason.trimmingCharacters(in: .whitespacesAndNewlines)
        guard !reason.isEmpty else { throw SlipwayError(.reasonRequired(what: "approvals deny", why: "the requester reads why")) }
        let record = try store.request(id: id)
        try authorize(.deny, environment: record.request.environment, component: record.request.component)
        return try store.deny(requestID: id, reason: reason, now: clock.now())
    }

    /// `slipway cancel` of a request still awaiting approval: its requester withdraws it whatever
    /// their role (asking was theirs to take back); anyone else needs to deny it as an approver.
    /// Nil when `id` names no request awaiting approval.
    public func withdrawAwaitingApproval(requestID id: String) throws(SlipwayError) -> RequestRecord? {
        try store.expireOverdueApprovals(now: clock.now())
        guard let record = try? store.request(id: id), record.awaitsApproval else { return nil }
        guard record.actor == identity.name else {
            return try deny(requestID: id, reason: "cancelled by \(identity.name) before it was approved")
        }
        return try store.deny(requestID: id, reason: "withdrawn by its requester", now: clock.now())
    }

    /// Throws (exit 1) when `environment` has the rule: `what` (`deploy-all`, `--local deploy of
    /// web`) would change it with no request for anyone to approve; `instead` says what to do.
    public func refuseBypassingApprovals(_ what: String, environment: String, instead: String) throws(SlipwayError) {
        guard let rule = approvalRule(in: environment) else { return }
        throw SlipwayError(.approvalsBypassed(what: what, environment: environment, approvals: rule.approvals, instead: instead))
    }

    /// Throws unless `runID` is a request into `request`'s environment approved under its rule:
    /// what an agent executes has been; anything else (`--local`) would go around it.
    func requireApproval(of request: RunRequest, runID: String?) throws(SlipwayError) {
        guard let rule = approvalRule(in: request.environment) else { return }
        if let runID, let record = try? store.request(id: runID),
           record.approvalsNeeded >= rule.approvals, record.approvedBy.count >= record.approvalsNeeded {
            return
        }
        try refuseBypassingApprovals(
            "\(request.title) in this process (--local)", environment: request.environment,
            instead: "leave out --local so that the request waits for an approver ('slipway approvals')")
    }
}
