/// A SAMLResponse as people copy it out of a browser, made into the base64 value STS wants.
///
/// Accepted: the raw base64 (wrapped or not), the URL-encoded value, the whole form body
/// (`SAMLResponse=...&RelayState=...`, as the developer tools' payload view shows it), the
/// HTML-entity-encoded value from a page's source (`&#x2B;`, `&#43;`, `&#x3D;`...), the
/// `<input name="SAMLResponse" value="...">` tag or page around it, and the decoded XML itself.
public enum PastedResponse {
    public static func normalize(_ pasted: String) throws -> String {
        let text = pasted.trimmed
        guard !text.isEmpty else { throw LeappError(.saml, "the pasted SAMLResponse is empty") }
        // Plain base64 (the common case, often large) is passed over once, as bytes.
        if !text.utf8.contains(where: { $0 == UInt8(ascii: "<") || $0 == UInt8(ascii: "%") || $0 == UInt8(ascii: "&") }),
            !text.hasPrefix("SAMLResponse=")
        {
            return try checked(text)
        }
        let candidate: String
        if text.hasPrefix("<") && !text.contains("SAMLResponse") {
            // The decoded XML (a Response document).
            candidate = Base64.encode(Array(text.utf8))
        } else if let value = inputValue(text) {
            candidate = decodeEntities(value)
        } else if let value = formField(text) {
            candidate = value
        } else if text.contains("%") {
            candidate = percentDecoded(text)
        } else if text.contains("&#") || text.contains("&amp;") {
            candidate = decodeEntities(text)
        } else {
            candidate = text
        }
        return try checked(candidate)
    }

    /// White space removed; the value must decode to an XML document.
    static func checked(_ candidate: String) throws -> String {
        let compact = String(decoding: candidate.utf8.filter { $0 != 0x20 && $0 != 0x09 && $0 != 0x0A && $0 != 0x0D }, as: UTF8.self)
        guard let xml = Base64.decode(compact), let first = xml.first(where: { $0 > 0x20 }), first == UInt8(ascii: "<") else {
            throw LeappError(
                .saml, "the pasted text is not a SAMLResponse",
                hint: "paste the SAMLResponse value (base64), the form body of the POST to the AWS sign-in page, or the decoded XML")
        }
        return compact
    }

    /// `SAMLResponse=...` in a form body (other fields around it are fine).
    static func formField(_ text: String) -> String? {
        guard text.hasPrefix("SAMLResponse=") || text.contains("&SAMLResponse=") else { return nil }
        return FormEncoding.decode(text).first { $0.0 == "SAMLResponse" }?.1
    }

    /// The value attribute of the input named SAMLResponse in pasted markup.
    static func inputValue(_ text: String) -> String? {
        guard text.hasPrefix("<"), let name = text.firstRange(of: "name=\"SAMLResponse\"") ?? text.firstRange(of: "name='SAMLResponse'")
        else {
            return nil
        }
        let tagStart = text[..<name.lowerBound].lastIndex(of: "<") ?? text.startIndex
        let tagEnd = text[name.upperBound...].firstIndex(of: ">") ?? text.endIndex
        let tag = text[tagStart..<tagEnd]
        for quote in ["\"", "'"] {
            if let v = tag.firstRange(of: "value=" + quote), let close = tag[v.upperBound...].firstIndex(of: Character(quote)) {
                return String(tag[v.upperBound..<close])
            }
        }
        return nil
    }

    /// Percent-decoding only: a literal `+` stays a `+` (base64 holds no spaces).
    static func percentDecoded(_ text: String) -> String {
        FormEncoding.unescape(text.replacing("+", with: "%2B"))
    }

    /// The character references and the few named entities a base64 value can hold.
    static func decodeEntities(_ text: String) -> String {
        var out = ""
        var rest = Substring(text)
        while let amp = rest.firstIndex(of: "&") {
            out += rest[..<amp]
            let after = rest[amp...]
            guard let semi = after.firstIndex(of: ";"), after.distance(from: after.startIndex, to: semi) <= 10 else {
                out += "&"
                rest = rest[rest.index(after: amp)...]
                continue
            }
            let name = after[after.index(after: after.startIndex)..<semi]
            let named: [Substring: String] = ["amp": "&", "quot": "\"", "apos": "'", "lt": "<", "gt": ">"]
            var scalar: Unicode.Scalar?
            if name.hasPrefix("#x") || name.hasPrefix("#X") {
                scalar = UInt32(name.dropFirst(2), radix: 16).flatMap(Unicode.Scalar.init)
            } else if name.hasPrefix("#") {
                scalar = UInt32(name.dropFirst(), radix: 10).flatMap(Unicode.Scalar.init)
            }
            if let scalar {
                out.unicodeScalars.append(scalar)
            } else if let replacement = named[name] {
                out += replacement
            } else {
                out += after[...semi]
            }
            rest = rest[rest.index(after: semi)...]
        }
        return out + rest
    }
}
