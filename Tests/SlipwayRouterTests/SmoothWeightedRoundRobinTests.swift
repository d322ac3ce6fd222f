import Testing

@testable import SlipwayRouter

@Suite("Smooth weighted round-robin")
struct SmoothWeightedRoundRobinTests {
    @Test("every 100 picks split exactly by the weights", arguments: 0...100)
    func splitsExactly(greenPercent: Int) {
        var picker = SmoothWeightedRoundRobin(weights: TrafficWeights(green: greenPercent))
        let picks = (0..<100).map { _ in picker.next() }
        #expect(picks.count(where: { $0 == .green }) == greenPercent)
    }

    @Test("20% green is every fifth request, not twenty in a row")
    func interleaves() {
        var picker = SmoothWeightedRoundRobin(weights: TrafficWeights(green: 20))
        let greens = (0..<20).filter { _ in picker.next() == .green }
        #expect(greens.count == 4)
        #expect(zip(greens, greens.dropFirst()).allSatisfy { $1 - $0 == 5 })
    }
}
