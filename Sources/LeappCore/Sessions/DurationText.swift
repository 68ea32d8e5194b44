/// Session lengths as people write them: `3600` (seconds), `90m`, `1h`, `1h30m`, `12h`, `45s`.
public enum DurationText {
    /// Seconds, or nil when the text is not a duration.
    public static func seconds(_ text: String) -> Int? {
        let t = text.trimmed.lowercased()
        if let plain = Int(t) { return plain }
        var total = 0
        var number = ""
        var sawUnit = false
        for c in t {
            if c.isASCII && c.isNumber {
                number.append(c)
                continue
            }
            guard let n = Int(number), let unit = ["h": 3600, "m": 60, "s": 1][String(c)] else { return nil }
            total += n * unit
            number = ""
            sawUnit = true
        }
        return sawUnit && number.isEmpty ? total : nil
    }

    /// Time left in the style durations are written (`59m`, `1h5m`, `12h`); under a minute,
    /// seconds; `expired` at or below zero.
    public static func left(_ seconds: Int) -> String {
        if seconds <= 0 { return "expired" }
        return seconds < 60 ? "\(seconds)s" : format(seconds / 60 * 60)
    }

    /// The way people say it back: `45s`, `5m`, `1h30m`, `12h`.
    public static func format(_ seconds: Int) -> String {
        let (h, m, s) = (seconds / 3600, seconds % 3600 / 60, seconds % 60)
        let parts = [(h, "h"), (m, "m"), (s, "s")].filter { $0.0 > 0 }.map { "\($0.0)\($0.1)" }
        return parts.isEmpty ? "0s" : parts.joined()
    }
}
