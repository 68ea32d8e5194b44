/// Where a page sends the browser without a form or an HTTP redirect: a
/// `<meta http-equiv="refresh" content="0; url=...">`, or a script assigning
/// `window.location` (`= '...'`, `.href = '...'`, `.replace('...')`), as IdP landing pages do
/// (Azure AD's redirecttofederatedapplication.aspx answers 200 with such a script).
public enum PageRedirect {
    public static func target(in page: IdPPage) -> String? {
        if let meta = try? page.document.first(
            "//meta[translate(@http-equiv,'REFRESH','refresh')='refresh']"),
            let content = meta["content"], let url = content.firstRange(of: "url=") ?? content.firstRange(of: "URL="),
            Double(content[..<url.lowerBound].split(separator: ";").first.map { String($0).trimmed } ?? "0").map({ $0 <= 5 }) ?? true
        {
            let raw = String(content[url.upperBound...].trimmed.filter { $0 != "'" && $0 != "\"" })
            if !raw.isEmpty { return resolve(raw, from: page.url) }
        }
        for script in (try? page.document.select("//script[not(@src)]")) ?? [] {
            if let raw = assignedLocation(in: script.text) { return resolve(raw, from: page.url) }
        }
        return nil
    }

    /// The absolute URL of a target: nil for any scheme but http and https (`javascript:`,
    /// `file:`, `data:` would otherwise pass for a relative path).
    static func resolve(_ raw: String, from pageURL: String) -> String? {
        if let scheme = RedirectPolicy.scheme(of: raw.trimmed), scheme != "http" && scheme != "https" { return nil }
        return WebURL(pageURL)?.resolve(raw) ?? raw
    }

    /// The string literal a script assigns to the location, JavaScript escapes decoded.
    static func assignedLocation(in script: String) -> String? {
        for marker in [
            "window.location.href", "window.location.replace(", "window.location", "document.location.href", "document.location",
            "location.replace(", "location.href",
        ] {
            guard let at = script.firstRange(of: marker) else { continue }
            var rest = script[at.upperBound...].drop { $0 == " " || $0 == "=" || $0 == "(" }
            guard let quote = rest.first, quote == "'" || quote == "\"" else { continue }
            rest = rest.dropFirst()
            guard let end = rest.firstIndex(of: quote) else { continue }
            let decoded = unescapeJS(String(rest[..<end]))
            return decoded.isEmpty ? nil : decoded
        }
        return nil
    }

    /// `\/`, `\xHH`, `\uHHHH`, `\\`, `\'`, `\"`.
    static func unescapeJS(_ s: String) -> String {
        var out = ""
        var it = Array(s.unicodeScalars)[...]
        while let c = it.popFirst() {
            guard c == "\\", let next = it.first else {
                out.unicodeScalars.append(c)
                continue
            }
            if next == "x" || next == "u" {
                let width = next == "x" ? 2 : 4
                let hex = String(String.UnicodeScalarView(it.dropFirst().prefix(width)))
                if hex.count == width, let v = UInt32(hex, radix: 16), let scalar = Unicode.Scalar(v) {
                    out.unicodeScalars.append(scalar)
                    it = it.dropFirst(width + 1)
                    continue
                }
            }
            out.unicodeScalars.append(next)
            it = it.dropFirst()
        }
        return out
    }
}
