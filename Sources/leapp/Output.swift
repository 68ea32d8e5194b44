import LeappCore
import LeappSystem

/// Renders rows as an aligned text table.
func renderTable(_ header: [String], _ rows: [[String]]) -> String {
    var widths = header.map(\.count)
    for row in rows { for (i, cell) in row.enumerated() { widths[i] = max(widths[i], cell.count) } }
    func line(_ cells: [String]) -> String {
        cells.enumerated().map { i, c in i == cells.count - 1 ? c : c + String(repeating: " ", count: widths[i] - c.count) }
            .joined(separator: "  ")
    }
    return ([line(header)] + rows.map(line)).joined(separator: "\n") + "\n"
}

func renderJSON(_ value: JSONValue) -> String {
    if value == .array([]) { return "[]\n" }  // the encoder would spread it over lines
    let encoder = JSONEncoder()
    encoder.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
    return String(decoding: (try? encoder.encode(value)) ?? Data(), as: UTF8.self) + "\n"
}

/// Time left in the style durations are written (`59m`, `1h5m`, `12h`); under a minute, seconds.
func timeLeft(_ seconds: Int) -> String {
    if seconds <= 0 { return "expired" }
    return seconds < 60 ? "\(seconds)s" : DurationText.format(seconds / 60 * 60)
}

func newID() -> String {
    var rng = SystemRandomNumberGenerator()
    var bytes = (0..<16).map { _ in UInt8.random(in: 0...255, using: &rng) }
    bytes[6] = bytes[6] & 0x0F | 0x40
    bytes[8] = bytes[8] & 0x3F | 0x80
    let hex = bytes.map { b -> String in
        let s = String(b, radix: 16)
        return s.count == 1 ? "0" + s : s
    }.joined()
    let c = Array(hex)
    return String(c[0..<8]) + "-" + String(c[8..<12]) + "-" + String(c[12..<16]) + "-" + String(c[16..<20]) + "-" + String(c[20..<32])
}
