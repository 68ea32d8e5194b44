/// The one filter every foreign string passes before it reaches a terminal: whatever an IdP,
/// STS, a browser or a file sent may hold escape sequences (OSC 52 writes the clipboard, OSC 0
/// the title, CSI 2J clears the screen) or bidirectional overrides that reorder what a person
/// reads. Such characters are shown as '?'.
public enum TerminalText {
    /// Whether a scalar is shown as '?': C0 controls (tab and newline too: a message is one
    /// line), DEL, C1 controls (U+0080-U+009F, CSI U+009B among them), and the bidirectional
    /// embeddings, overrides and isolates.
    public static func isUnsafe(_ scalar: Unicode.Scalar) -> Bool {
        let v = scalar.value
        return v < 0x20 || (0x7F...0x9F).contains(v) || (0x202A...0x202E).contains(v) || (0x2066...0x2069).contains(v)
    }

    /// `text` with every unsafe scalar shown as '?', cut after `limit` scalars ("..." then).
    public static func line(_ text: String, limit: Int = .max) -> String {
        var out = ""
        var count = 0
        for scalar in text.unicodeScalars {
            if count == limit { return out + "..." }
            out.unicodeScalars.append(isUnsafe(scalar) ? "?" : scalar)
            count += 1
        }
        return out
    }

    /// Several lines, each filtered (for text leapp itself splits into lines).
    public static func lines(_ text: String) -> String {
        text.split(separator: "\n", omittingEmptySubsequences: false).map { line(String($0)) }.joined(separator: "\n")
    }
}
