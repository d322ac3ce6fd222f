/// Whether a slot's process should be running, as recorded (`running`, `stopped`), or, in the
/// agent's answers, found dead while recorded running (`crashed`). Spelled so in JSON and the store.
public enum SlotState: String, Codable, Sendable, CaseIterable {
    case running
    case stopped
    case crashed
}
