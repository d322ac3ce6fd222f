import SlipwayCore
import Testing

/// Burn rates, budgets and alerts on synthetic minute series; every expected figure is worked
/// out by hand in the comments (1000 requests a minute, availability 99.5%: budget 0.5%).
@Suite struct SLOMathsTests {
    let availability = ServiceLevelObjective(name: "availability", indicator: .availability, target: 99.5)
    /// Three days of clean history before anything happens, so every window is full.
    let outageStart = 10_000

    /// `minutes` minutes of 1000 requests from minute 0, `bad(minute)` of them failed.
    func series(minutes: Int, bad: (Int) -> Int) -> SLOSeries {
        SLOSeries((0..<minutes).map { SLIMinute(minute: $0, total: 1000, bad: bad($0)) })
    }

    /// Runs the alerting minute by minute over `range` and returns (minute, change, rule).
    func alerts(_ series: SLOSeries, over range: Range<Int>) -> [String] {
        var alerting = SLOAlerting(objective: availability)
        return range.flatMap { alerting.evaluate(series, at: $0) }.map { "\($0.minute - outageStart) \($0.change.rawValue) \($0.rule)" }
    }

    @Test func budgetRemainingAndTimeToExhaustionMatchHandFigures() {
        // 30 days = 43200 minutes, 43.2M requests. 54000 bad early on (540 minutes of 100),
        // and 10 a minute in the last hour (600): ratio = 54600 / 43.2M = 0.00126389;
        // budget used = 0.252778, remaining 0.747222; last hour 1% bad = burn 2;
        // time to exhaustion = 0.747222 * 30 days / 2 = 11.2083 days.
        let series = series(minutes: 43_200) { minute in
            minute < 540 ? 100 : (minute >= 43_140 ? 10 : 0)
        }
        let status = SLOStatus(objective: availability, series: series, at: 43_200)
        #expect(abs(status.budgetRemaining - 0.747222) < 1e-6)
        #expect(abs(status.burnRate - 2) < 1e-9)
        #expect(abs(status.daysToExhaustion! - 11.20833) < 1e-4)
        #expect(abs(status.current! - 99.873611) < 1e-5)
    }

    @Test func nothingBurningHasNoTimeToExhaustionAndASpentBudgetHasNone() {
        let clean = SLOStatus(objective: availability, series: series(minutes: 120) { _ in 0 }, at: 120)
        #expect(clean.budgetRemaining == 1)
        #expect(clean.burnRate == 0)
        #expect(clean.daysToExhaustion == nil)
        // 1% bad all along is twice the budget: remaining 1 - 2 = -1, exhausted.
        let spent = SLOStatus(objective: availability, series: series(minutes: 120) { _ in 10 }, at: 120)
        #expect(abs(spent.budgetRemaining + 1) < 1e-9)
        #expect(spent.daysToExhaustion == 0)
    }

    @Test func aShortTotalOutagePagesOnTheOneHourRuleAndClearsFiveMinutesAfter() {
        // 100% bad for 10 minutes. At t+5 the hour holds 5 bad minutes: burn 5000/60000/0.005 = 16.7 > 14.4,
        // the last 5 minutes burn 200. At t+4: 13.3, not yet. The 5-minute window is clean again at t+15.
        // 6h: at most 10000/360000/0.005 = 5.6 < 6; 1d and 3d burn less still.
        let series = series(minutes: outageStart + 60) { ($0 >= outageStart && $0 < outageStart + 10) ? 1000 : 0 }
        #expect(alerts(series, over: outageStart..<(outageStart + 60)) == ["5 fired 1h/5m", "15 cleared 1h/5m"])
    }

    @Test func aLongPartialOutagePagesOnTheSixHourRule() {
        // 5% bad (burn 10) for 300 minutes: 1h never passes 10 < 14.4. 6h after k bad minutes:
        // k*50/360000/0.005 = k/36 > 6 at k = 217. Clears when the last 30 minutes hold j bad
        // minutes with j/3 < 6, j <= 17: at t+313. 1d: k/144 <= 300/144 < 3; 3d: k/432 < 1.
        let series = series(minutes: outageStart + 400) { ($0 >= outageStart && $0 < outageStart + 300) ? 50 : 0 }
        #expect(alerts(series, over: outageStart..<(outageStart + 400)) == ["217 fired 6h/30m", "313 cleared 6h/30m"])
    }

    @Test func aSlowBurnOpensBothTicketsAndTheyClearOnTheirOwnShortWindows() {
        // 2.5% bad (burn 5) for 900 minutes: pages never (5 < 6). 1d: k*25/1440000/0.005 = k/288 > 3
        // at k = 865; 3d: k/864 > 1 at k = 865 too (with the whole outage inside both windows the
        // two conditions are the same). 2h clears when j/24 < 3, j <= 71 of the last 120 minutes:
        // 1020 - t <= 71, t+949. 6h clears when j/72 < 1, j <= 71 of the last 360: 1260 - t <= 71, t+1189.
        let series = series(minutes: outageStart + 1300) { ($0 >= outageStart && $0 < outageStart + 900) ? 25 : 0 }
        #expect(alerts(series, over: outageStart..<(outageStart + 1300)) == [
            "865 fired 1d/2h", "865 fired 3d/6h", "949 cleared 1d/2h", "1189 cleared 3d/6h",
        ])
    }

    @Test func aSteadyDoubleBurnOpensOnlyTheThreeDayTicket() {
        // 1% bad (burn 2): 1d can reach at most 2 < 3; 3d: k*10/4320000/0.005 = k/2160 > 1 at k = 2161.
        let series = series(minutes: outageStart + 2200) { $0 >= outageStart ? 10 : 0 }
        #expect(alerts(series, over: outageStart..<(outageStart + 2200)) == ["2161 fired 3d/6h"])
    }

    @Test func budgetInfoAlertsAtFiftyTwentyFiveAndZeroPercent() {
        // 30 days of clean history, then 700 bad a minute. The window always holds 43.2M requests,
        // budget 216000 bad: 50% left at 108000 bad, after 154.3 minutes, so first seen at t+155;
        // 25% at 162000 (231.4 minutes): t+232; spent at 216000 (308.6 minutes): t+309.
        let start = 43_200
        let series = SLOSeries((0..<(start + 400)).map { SLIMinute(minute: $0, total: 1000, bad: $0 >= start ? 700 : 0) })
        var alerting = SLOAlerting(objective: availability, rules: [])
        let seen = (start..<(start + 400)).flatMap { alerting.evaluate(series, at: $0) }
        #expect(seen.map { "\($0.minute - start) \($0.rule) \($0.severity.rawValue)" } == ["155 50% info", "232 25% info", "309 0% info"])
        #expect(seen.last?.message == "availability: the error budget is spent")
    }

    @Test func windowsCountOnlyCompleteMinutesAndSkipGaps() {
        let series = SLOSeries([
            SLIMinute(minute: 10, total: 100, bad: 1), SLIMinute(minute: 13, total: 100, bad: 3),
            SLIMinute(minute: 13, total: 100, bad: 1),
        ])
        #expect(series.counts(last: 5, before: 13) == (100, 1), "minute 13 is not complete at 13")
        #expect(series.counts(last: 5, before: 14) == (300, 5))
        #expect(series.counts(last: 2, before: 14) == (200, 4))
        #expect(series.badRatio(last: 2, before: 13) == nil)
    }
}
