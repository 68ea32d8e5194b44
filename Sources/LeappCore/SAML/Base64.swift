enum Base64 {
    /// Decodes standard base64, ignoring white space (SAMLResponse values are often wrapped).
    static func decode(_ text: String) -> [UInt8]? {
        // By scalars: "\r\n" is one Character in Swift.
        var cleaned = String(String.UnicodeScalarView(text.unicodeScalars.filter { !($0 == " " || $0 == "\n" || $0 == "\r" || $0 == "\t") }))
        if cleaned.count % 4 == 2 { cleaned += "==" } else if cleaned.count % 4 == 3 { cleaned += "=" }
        guard let data = Data(base64Encoded: cleaned) else { return nil }
        return Array(data)
    }

    static func encode(_ bytes: [UInt8]) -> String { Data(bytes).base64EncodedString() }
}
