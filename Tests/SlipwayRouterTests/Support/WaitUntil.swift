struct ConditionNotMet: Error, CustomStringConvertible {
    var description: String
}

/// Waits for something that happens asynchronously (a connection closing, say), polling; fails
/// after a generous timeout instead of asserting on timing.
func waitUntil(
    _ what: String, timeout: Duration = .seconds(10), _ condition: () async throws -> Bool
) async throws {
    let deadline = ContinuousClock.now + timeout
    while try await !condition() {
        guard ContinuousClock.now < deadline else {
            throw ConditionNotMet(description: "still not true after \(timeout): \(what)")
        }
        try await Task.sleep(for: .milliseconds(10))
    }
}
