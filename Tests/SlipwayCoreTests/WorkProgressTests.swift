import Foundation
import Testing
@testable import SlipwayCore

/// Issue 16 item 15: one progress value for the console and the terminal, with rate and time left.
@Suite struct WorkProgressTests {
    static let start = Date(timeIntervalSince1970: 1_800_000_000)

    @Test func itemsGiveARateAndATimeLeftFromIt() throws {
        let progress = WorkProgress(done: 10_000, total: 25_000, measure: .items("events"), startedAt: Self.start)
        let now = Self.start + 2
        #expect(progress.fraction == 0.4)
        #expect(try #require(progress.rate(at: now)) == 5_000)
        #expect(try #require(progress.secondsLeft(at: now)) == 3)
        #expect(progress.figures(at: now) == "40%  10,000/25,000 events  5,000/s  3s left")
    }

    @Test func noRateIsGuessedFromTooLittle() {
        let started = WorkProgress(done: 0, total: 100, measure: .items("pages"), startedAt: Self.start)
        #expect(started.rate(at: Self.start + 5) == nil)
        #expect(started.figures(at: Self.start + 5) == "0%  0/100 pages")
        let instant = WorkProgress(done: 50, total: 100, measure: .items("pages"), startedAt: Self.start)
        #expect(instant.rate(at: Self.start + 0.01) == nil, "a rate over 10 ms says nothing")
    }

    @Test func aTimedWaitKnowsExactlyWhatIsLeftAndShowsNoRate() {
        let wait = WorkProgress(done: 750, total: 1_800, measure: .time, startedAt: Self.start)
        #expect(wait.rate(at: Self.start + 750) == nil)
        #expect(wait.secondsLeft(at: Self.start + 1) == 1_050)
        #expect(wait.figures(at: Self.start) == "41%  12m30s of 30m00s  17m30s left")
        // Found on the terminal bar: "1s of 4s  4s left" when both rounded up.
        let begun = WorkProgress(done: 0.2, total: 4, measure: .time, startedAt: Self.start)
        #expect(begun.figures(at: Self.start) == "5%  0s of 4s  4s left")
    }

    @Test func finishedWorkSaysNoTimeLeft() {
        let done = WorkProgress(done: 100, total: 100, measure: .items("events"), startedAt: Self.start)
        #expect(done.figures(at: Self.start + 1) == "100%  100/100 events  100/s")
        #expect(done.bar(width: 5) == "█████")
        #expect(WorkProgress(done: 0, total: 0, measure: .time, startedAt: Self.start).fraction == 1, "nothing to do is done")
    }

    @Test func theBarUsesEighthBlocksAndPlainASCII() {
        let progress = WorkProgress(done: 13, total: 40, measure: .items("steps"), startedAt: Self.start)
        // 13/40 of 10 cells is 3.25 cells: three full and a quarter block.
        #expect(progress.bar(width: 10) == "███▎░░░░░░")
        #expect(progress.bar(width: 10, unicode: false) == "###-------")
        #expect(progress.bar(width: 10).count == 10)
    }

    @Test(arguments: [100, 60, 40, 24, 10])
    func theLineFitsItsWidth(width: Int) {
        let progress = WorkProgress(done: 10_000, total: 25_000, measure: .items("events"), startedAt: Self.start)
        let line = progress.line(label: "rebuild", width: width, at: Self.start + 2)
        #expect(line.count <= width, "\(line)")
        #expect(line.hasPrefix(String("rebuild".prefix(width))))
        if width >= 40 { #expect(line.contains("40%"), "\(line)") }
        if width >= 100 { #expect(line.hasSuffix("5,000/s  3s left"), "\(line)") }
    }

    @Test func durationsReadAsAPersonWouldSayThem() {
        #expect(WorkProgress.duration(0.2) == "1s")
        #expect(WorkProgress.duration(59) == "59s")
        #expect(WorkProgress.duration(725) == "12m05s")
        #expect(WorkProgress.duration(3_720) == "1h02m")
    }
}
