/// Reads one gauge from a page in the Prometheus text format: comments and other metrics are
/// skipped; with several samples (label sets), the largest counts, since for a lag the worst
/// consumer is the one that matters.
public enum PrometheusGauge {
    /// The value of `metric` in `text`; nil when no sample of it is there or none is a number.
    public static func value(of metric: String, in text: String) -> Double? {
        var found: Double?
        for line in text.split(whereSeparator: \.isNewline) {
            let line = line.drop { $0 == " " || $0 == "\t" }
            guard !line.hasPrefix("#"), line.hasPrefix(metric) else { continue }
            var rest = line.dropFirst(metric.count)
            if rest.first == "{" {
                guard let close = closingBrace(of: rest) else { continue }
                rest = rest[rest.index(after: close)...]
            }
            // The name must end here: `lag_seconds_total` is not `lag_seconds`.
            guard let first = rest.first, first == " " || first == "\t" else { continue }
            let fields = rest.split(whereSeparator: { $0 == " " || $0 == "\t" })
            guard let field = fields.first, let value = number(field), !value.isNaN else { continue }
            found = max(found ?? value, value)
        }
        return found
    }

    /// The brace closing a label set, skipping braces inside quoted label values.
    private static func closingBrace(of labels: Substring) -> Substring.Index? {
        var quoted = false
        var escaped = false
        for index in labels.indices {
            let character = labels[index]
            if escaped {
                escaped = false
            } else if character == "\\" {
                escaped = quoted
            } else if character == "\"" {
                quoted.toggle()
            } else if character == "}", !quoted {
                return index
            }
        }
        return nil
    }

    private static func number(_ text: Substring) -> Double? {
        switch text {
        case "+Inf", "Inf": return .infinity
        case "-Inf": return -.infinity
        default: return Double(text)
        }
    }
}
