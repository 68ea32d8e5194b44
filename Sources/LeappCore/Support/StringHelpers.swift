extension StringProtocol {
    /// Drops leading and trailing ASCII white space.
    public var trimmed: String {
        let ws: (Character) -> Bool = { $0 == " " || $0 == "\t" || $0 == "\n" || $0 == "\r" || $0 == "\u{0C}" || $0 == "\u{0B}" }
        guard let start = firstIndex(where: { !ws($0) }), let end = lastIndex(where: { !ws($0) }) else { return "" }
        return String(self[start...end])
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
