/// nginx's smooth weighted round-robin over the two colours. It is deterministic and interleaves
/// evenly (20% green is every fifth request, not twenty in a row), so any 100 consecutive picks
/// after a reset split exactly as the weights say.
struct SmoothWeightedRoundRobin {
    private(set) var weights: TrafficWeights
    private var currentBlue = 0
    private var currentGreen = 0

    init(weights: TrafficWeights) {
        self.weights = weights
    }

    /// The colour for the next request.
    mutating func next() -> SlotColor {
        currentBlue += weights.blue
        currentGreen += weights.green
        // Ties go to blue, as nginx prefers the first peer.
        if currentGreen > currentBlue {
            currentGreen -= 100
            return .green
        }
        currentBlue -= 100
        return .blue
    }
}
