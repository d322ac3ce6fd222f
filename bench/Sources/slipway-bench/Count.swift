import ArgumentParser

/// A positive whole number on the command line; `100_000` reads as `100000`.
struct Count: ExpressibleByArgument, CustomStringConvertible {
    var value: Int

    init(_ value: Int) { self.value = value }

    init?(argument: String) {
        guard let value = Int(argument.replacingOccurrences(of: "_", with: "")), value > 0 else { return nil }
        self.value = value
    }

    var description: String { String(value) }
}
