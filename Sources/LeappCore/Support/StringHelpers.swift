extension StringProtocol {
    /// Drops leading and trailing ASCII white space.
    /// (By scalars: "\r\n" is a single Character.)
    public var trimmed: String {
        let scalars = unicodeScalars
        let ws: (Unicode.Scalar) -> Bool = { $0 == " " || $0 == "\t" || $0 == "\n" || $0 == "\r" || $0 == "\u{0C}" || $0 == "\u{0B}" }
        guard let start = scalars.firstIndex(where: { !ws($0) }), let end = scalars.lastIndex(where: { !ws($0) }) else { return "" }
        return String(String.UnicodeScalarView(scalars[start...end]))
    }
}

extension String {
    /// Whether every character is in the given ASCII set.
    func consists(of allowed: String) -> Bool {
        let set = Set(allowed.utf8)
        return utf8.allSatisfy { set.contains($0) }
    }

    static let asciiLetters = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz"
    static let asciiDigits = "0123456789"
}
