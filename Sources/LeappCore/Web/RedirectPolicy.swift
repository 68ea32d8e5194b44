/// The transport and redirect rules of every request leapp sends: https everywhere, plain
/// http only to real loopback addresses, only http(s) redirect targets, and a redirect that
/// leaves its origin loses the request's credentials. PolicyHTTPClient applies them around
/// any transport, so an HTTP adapter cannot skip them.
public enum RedirectPolicy {
    public static let redirectStatuses: Set<Int> = [301, 302, 303, 307, 308]
    /// Headers that carry credentials: never sent to another origin.
    static let credentialHeaders: Set<String> = ["authorization", "proxy-authorization", "cookie"]

    /// Checks that a request may go out at all.
    public static func check(_ url: String) throws -> WebURL {
        guard let parsed = WebURL(url) else {
            throw LeappError(.network, "not an http(s) URL: \(Validation.printable(url, limit: 120))")
        }
        guard parsed.isAllowedTransport else {
            throw LeappError(
                .network, "refusing plain http to \(Validation.printable(parsed.host)): only https is allowed outside loopback")
        }
        return parsed
    }

    /// The request to send after a redirect answer, or an error for a target leapp refuses
    /// (a scheme other than http or https, such as `file:` or `javascript:`).
    public static func follow(_ request: HTTPRequest, from url: WebURL, status: Int, location: String) throws -> HTTPRequest {
        let trimmed = location.trimmed
        if let scheme = Self.scheme(of: trimmed), scheme != "http" && scheme != "https" {
            throw LeappError(
                .network, "refusing a redirect from \(Validation.printable(url.host)) to a \(Validation.printable(scheme, limit: 20)): URL",
                hint: "only http(s) redirects are followed")
        }
        let target = url.resolve(trimmed)
        guard let next = WebURL(target) else {
            throw LeappError(.network, "refusing a redirect from \(Validation.printable(url.host)) to an unusable URL")
        }
        var headers = request.headers
        let sameOrigin = next.origin == url.origin
        if !sameOrigin {
            headers.removeAll { credentialHeaders.contains($0.0.lowercased()) }
        }
        var followed =
            status == 307 || status == 308
            ? HTTPRequest(method: request.method, url: target, headers: headers, body: request.body)
            : HTTPRequest(method: "GET", url: target, headers: headers.filter { $0.0.lowercased() != "content-type" })
        followed.negotiate = request.negotiate && sameOrigin
        return followed
    }

    /// The scheme of an absolute reference (RFC 3986: a letter, then letters, digits, `+ - .`, then `:`).
    static func scheme(of reference: String) -> String? {
        guard let colon = reference.firstIndex(of: ":"), colon != reference.startIndex else { return nil }
        let candidate = reference[..<colon]
        guard candidate.first!.isASCII && candidate.first!.isLetter,
            candidate.allSatisfy({ $0.isASCII && ($0.isLetter || $0.isNumber || $0 == "+" || $0 == "-" || $0 == ".") })
        else { return nil }
        return candidate.lowercased()
    }
}
