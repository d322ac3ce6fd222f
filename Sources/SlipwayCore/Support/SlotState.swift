/// Whether a slot's process should be running, as recorded (`running`, `stopped`; `parked`: it
/// had traffic when the agent was stopped, and the next agent starts it again), or, in the
/// agent's answers, found dead while recorded running (`crashed`). Spelled so in JSON and the store.
public enum SlotState: String, Codable, Sendable, CaseIterable {
    case running
    case stopped
    case parked
    case crashed
}
