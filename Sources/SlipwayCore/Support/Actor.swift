import Foundation

/// The person or system acting: `$SLIPWAY_ACTOR`, else the operating system's user.
public enum Actor {
    public static func current(environment: [String: String] = ProcessInfo.processInfo.environment) -> String {
        if let actor = environment["SLIPWAY_ACTOR"], !actor.isEmpty { return actor }
        if let pw = getpwuid(getuid()), let name = pw.pointee.pw_name { return String(cString: name) }
        return environment["USER"] ?? "unknown"
    }

    /// Where an action was started from: `ci` when a CI variable is set, else `$SLIPWAY_ORIGIN`
    /// (the console sets it for the processes it starts), else what the caller says.
    public static func origin(_ fallback: String, environment: [String: String] = ProcessInfo.processInfo.environment) -> String {
        let fallback = environment["SLIPWAY_ORIGIN"].flatMap { $0.isEmpty ? nil : $0 } ?? fallback
        return environment["CI"].map { $0.isEmpty || $0 == "false" ? fallback : "ci" } ?? fallback
    }
}
