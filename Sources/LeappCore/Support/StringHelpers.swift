extension StringProtocol {
    /// Drops leading and trailing ASCII white space (by bytes: "\r\n" is a single Character).
    public var trimmed: String {
        let whole = String(self)
        let bytes = whole.utf8
        let ws: (UInt8) -> Bool = { $0 == 0x20 || $0 == 0x09 || $0 == 0x0A || $0 == 0x0D || $0 == 0x0C || $0 == 0x0B }
        guard let start = bytes.firstIndex(where: { !ws($0) }), let end = bytes.lastIndex(where: { !ws($0) }) else { return "" }
        // The ends are ASCII white space, so the slice is whole UTF-8.
        return String(decoding: bytes[start...end], as: UTF8.self)
    }
}

/// A set of ASCII bytes as a 128-bit map: membership is two shifts, building it is done once.
struct ASCIISet: Sendable {
    private var low: UInt64 = 0
    private var high: UInt64 = 0

    init(_ members: String) {
        for b in members.utf8 where b < 128 {
            if b < 64 { low |= 1 << UInt64(b) } else { high |= 1 << UInt64(b - 64) }
        }
    }

    func contains(_ b: UInt8) -> Bool {
        b < 64 ? low & (1 << UInt64(b)) != 0 : b < 128 && high & (1 << UInt64(b - 64)) != 0
    }
}

extension StringProtocol {
    /// Whether every byte is in the given ASCII set.
    func consists(of allowed: ASCIISet) -> Bool {
        utf8.allSatisfy(allowed.contains)
    }
}

extension String {

    static let asciiLetters = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz"
    static let asciiDigits = "0123456789"
    static let digitSet = ASCIISet(asciiDigits)
}
