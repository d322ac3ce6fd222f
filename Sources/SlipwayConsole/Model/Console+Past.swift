import Foundation
import SlipwayCore

/// The past view: entering it, stepping event by event, and coming back to now.
extension Console {
    /// `t`, `[` and `]`, and `:at`: each asks for a past moment to be loaded.
    static func travel(_ action: ConsoleAction, in state: inout ConsoleState) -> [ConsoleEffect] {
        guard var past = state.past else {
            guard action != .stepForward else {
                state.statusMessage = "already at now: t or [ goes back in time"
                return []
            }
            return travel(to: .newest, in: &state)
        }
        let step = action == .stepBack ? -1 : action == .stepForward ? 1 : 0
        guard step != 0 else {
            state.statusMessage = "in the past view: [ ] step, :at TIME jumps, esc returns to now"
            return []
        }
        // Steps taken before the last one loaded add up, so holding a key is not lost work.
        if past.isLoading, case .step(let from, let by) = past.target {
            past.target = .step(from: from, by: by + step)
        } else if let mark = past.mark {
            past.target = .step(from: mark.id, by: step)
        } else {
            return []
        }
        past.isLoading = true
        state.past = past
        return [.loadPast(past.target)]
    }

    static func travel(to target: PastView.Target, in state: inout ConsoleState) -> [ConsoleEffect] {
        if state.past == nil {
            state.past = PastView(target: target, present: state.snapshot)
        } else {
            state.past?.target = target
            state.past?.isLoading = true
        }
        state.pending = nil
        state.statusMessage = nil
        return [.loadPast(target)]
    }

    static func returnToNow(in state: inout ConsoleState) -> [ConsoleEffect] {
        guard let past = state.past else { return [] }
        state.past = nil
        replaceSnapshot(with: past.present, in: &state)
        state.statusMessage = "back to now"
        return [.reload]
    }

    static func receivePast(
        _ target: PastView.Target, _ mark: EventMark?, _ snapshot: ConsoleSnapshot, in state: inout ConsoleState
    ) {
        guard var past = state.past, past.target == target else { return }
        past.isLoading = false
        guard let mark else {
            state.past = past
            if past.mark == nil {
                _ = returnToNow(in: &state)
                state.statusMessage = "nothing was recorded by then: showing now"
            }
            return
        }
        if let shown = past.mark, case .step(_, let by) = target, shown == mark {
            state.statusMessage = by < 0 ? "this is the first event" : "this is the newest event; esc returns to now"
        }
        past.mark = mark
        state.past = past
        replaceSnapshot(with: snapshot, in: &state)
    }

    /// Shows `snapshot`, keeping each list's selection on the item it was on.
    static func replaceSnapshot(with snapshot: ConsoleSnapshot, in state: inout ConsoleState) {
        keepingSelection(in: &state) { $0.snapshot = snapshot }
    }
}
