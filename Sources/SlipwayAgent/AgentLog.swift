import Logging

/// The agent's diagnostics: what it could not do on its own (restart a slot, restore routes,
/// store figures). They go to its log file (`.slipway/logs/agent.log`) through swift-log, at
/// the level `--log-level` or `SLIPWAY_LOG_LEVEL` sets.
enum AgentLog {
    static let logger = Logger(label: "slipway.agent")
}
