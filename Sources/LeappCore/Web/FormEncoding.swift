/// application/x-www-form-urlencoded and URL helpers.
public enum FormEncoding {
    private static let unreserved = ASCIISet(String.asciiLetters + String.asciiDigits + "-._~")

    public static func escape(_ s: String) -> String {
        var out = ""
        out.reserveCapacity(s.utf8.count)
        for b in s.utf8 {
            if unreserved.contains(b) {
                out.unicodeScalars.append(UnicodeScalar(b))
            } else if b == 0x20 {
                out += "+"
            } else {
                out += "%" + hex(b)
            }
        }
        return out
    }

    /// Percent-encoding for a query component (space as %20).
    public static func escapeQuery(_ s: String) -> String {
        escape(s).replacing("+", with: "%20")
    }

    public static func encode(_ fields: [(String, String)]) -> String {
        fields.map { escape($0.0) + "=" + escape($0.1) }.joined(separator: "&")
    }

    public static func decode(_ s: String) -> [(String, String)] {
        s.split(separator: "&", omittingEmptySubsequences: true).map { pair in
            let parts = pair.split(separator: "=", maxSplits: 1, omittingEmptySubsequences: false)
            let name = unescape(String(parts[0]))
            return (name, parts.count > 1 ? unescape(String(parts[1])) : "")
        }
    }

    public static func unescape(_ s: String) -> String {
        var bytes: [UInt8] = []
        var it = Array(s.utf8)[...]
        while let b = it.popFirst() {
            if b == UInt8(ascii: "+") {
                bytes.append(0x20)
            } else if b == UInt8(ascii: "%"), it.count >= 2,
                let v = UInt8(String(decoding: it.prefix(2), as: UTF8.self), radix: 16)
            {
                bytes.append(v)
                it = it.dropFirst(2)
            } else {
                bytes.append(b)
            }
        }
        return String(decoding: bytes, as: UTF8.self)
    }

    static func hex(_ b: UInt8) -> String {
        let digits = Array("0123456789ABCDEF")
        return String([digits[Int(b >> 4)], digits[Int(b & 15)]])
    }
}
