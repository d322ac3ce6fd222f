import Foundation
import SlipwayCore

/// Everything that can change the console's state: input from the operator, the terminal,
/// the clock and the engine.
enum ConsoleMessage: Equatable, Sendable {
    case key(ConsoleKey)
    case resize(rows: Int, columns: Int)
    case tick(Date)
    case loaded(ConsoleSnapshot, ConsoleHeader)
    case releasesLoaded(component: String, environment: String, [ReleaseTag])
    case logLoaded(LogSource, [LogLine], replacing: Bool)
    /// Every event of one run, oldest first.
    case runEventsLoaded(runID: String, [Event])
    /// The store as it was at `target`'s event; no mark when there is no such event.
    case pastLoaded(PastView.Target, EventMark?, ConsoleSnapshot)
    case diffLoaded(LoadedDiff)
    case driftLoaded(DriftReport)
    case loadFailed(String)
    /// An action the console started: its process is running, could not start, or ended (how).
    case actionStarted(String)
    /// The engine failed so that the console cannot go on: it restores the terminal and exits.
    case fatal(String)
}
