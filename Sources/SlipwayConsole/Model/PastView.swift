import Foundation
import SlipwayCore

/// The console looking at a past moment: the fleet, runs, health and audit as the store had
/// them right after one event. Read-only: nothing can be changed in the past.
struct PastView: Equatable, Sendable {
    /// Which past moment to load.
    enum Target: Equatable, Sendable {
        /// The last event recorded at or before a time.
        case moment(Date)
        case newest
        /// `by` events before (negative) or after `from`, stopping at the first and the newest.
        case step(from: Int64, by: Int)
    }

    /// The moment asked for last; a load answering an older one is dropped.
    var target: Target
    /// Whether the load of `target` is still on its way.
    var isLoading = true
    /// The last event folded into what is shown; nil until the first load arrives.
    var mark: EventMark?
    /// The latest read of now, kept up to date while in the past, so `esc` shows it at once.
    var present: ConsoleSnapshot

    init(target: Target, present: ConsoleSnapshot) {
        self.target = target
        self.present = present
    }

    /// The one-line reason a changing action is refused in the past view.
    static func refusal(_ what: String) -> String {
        "past view: \(what) is not allowed at a past moment (esc returns to now)"
    }
}
