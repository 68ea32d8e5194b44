import Crypto

/// AWS Signature Version 4 for the one kind of request leapp signs: an STS form POST
/// (`sts:AssumeRole` with a parent session's credentials). The canonical request, the string
/// to sign and the derived key follow AWS's "Create a signed AWS API request" guide.
public struct SigV4 {
    public let accessKeyId: String
    public let secretAccessKey: String
    public let sessionToken: String?
    public let region: String
    public let service: String

    public init(accessKeyId: String, secretAccessKey: String, sessionToken: String?, region: String, service: String) {
        self.accessKeyId = accessKeyId
        self.secretAccessKey = secretAccessKey
        self.sessionToken = sessionToken
        self.region = region
        self.service = service
    }

    public init(_ credentials: AWSCredentials, region: String, service: String = "sts") {
        self.init(
            accessKeyId: credentials.accessKeyId, secretAccessKey: credentials.secretAccessKey,
            sessionToken: credentials.sessionToken, region: region, service: service)
    }

    /// The request with `X-Amz-Date`, `X-Amz-Security-Token` (for temporary credentials) and
    /// `Authorization` added. Every header the request carries is signed, and `host`.
    public func sign(_ request: HTTPRequest, at date: Date) -> HTTPRequest {
        guard let url = WebURL(request.url) else { return request }
        let amzDate = Self.amzDate(date)
        var headers = request.headers
        headers.append(("X-Amz-Date", amzDate))
        if let sessionToken { headers.append(("X-Amz-Security-Token", sessionToken)) }
        let signature = authorization(
            method: request.method, url: url, headers: headers, body: request.body ?? [], amzDate: amzDate)
        var signed = request
        signed.headers = headers + [("Authorization", signature)]
        return signed
    }

    /// The Authorization header's value.
    func authorization(method: String, url: WebURL, headers: [(String, String)], body: [UInt8], amzDate: String) -> String {
        let (canonical, signedHeaders) = canonicalRequest(method: method, url: url, headers: headers, body: body)
        let day = String(amzDate.prefix(8))
        let scope = "\(day)/\(region)/\(service)/aws4_request"
        let toSign = "AWS4-HMAC-SHA256\n\(amzDate)\n\(scope)\n" + sha256Hex(Array(canonical.utf8))
        var key = SymmetricKey(data: Array(("AWS4" + secretAccessKey).utf8))
        for part in [day, region, service, "aws4_request"] {
            key = SymmetricKey(data: Array(HMAC<SHA256>.authenticationCode(for: Array(part.utf8), using: key)))
        }
        let signature = Self.hex(Array(HMAC<SHA256>.authenticationCode(for: Array(toSign.utf8), using: key)))
        return "AWS4-HMAC-SHA256 Credential=\(accessKeyId)/\(scope), SignedHeaders=\(signedHeaders), Signature=\(signature)"
    }

    /// The canonical request and its signed-headers list.
    func canonicalRequest(method: String, url: WebURL, headers: [(String, String)], body: [UInt8]) -> (String, String) {
        let (path, query) = Self.split(url.pathAndQuery)
        var all: [String: String] = ["host": Self.hostHeader(url)]
        for (name, value) in headers {
            let key = name.lowercased()
            let clean = value.split(separator: " ", omittingEmptySubsequences: true).joined(separator: " ")
            all[key] = all[key].map { $0 + "," + clean } ?? clean
        }
        let names = all.keys.sorted()
        let canonicalHeaders = names.map { "\($0):\(all[$0]!)\n" }.joined()
        let signedHeaders = names.joined(separator: ";")
        let canonical = [
            method, path, Self.canonicalQuery(query), canonicalHeaders, signedHeaders, sha256Hex(body),
        ].joined(separator: "\n")
        return (canonical, signedHeaders)
    }

    /// What an HTTP client sends as `Host`: the port only when it is not the scheme's own.
    static func hostHeader(_ url: WebURL) -> String {
        let host = url.host.contains(":") ? "[\(url.host)]" : url.host
        guard let port = url.port, port != (url.scheme == "https" ? 443 : 80) else { return host }
        return "\(host):\(port)"
    }

    static func split(_ pathAndQuery: String) -> (String, String) {
        guard let q = pathAndQuery.firstIndex(of: "?") else { return (pathAndQuery, "") }
        return (String(pathAndQuery[..<q]), String(pathAndQuery[pathAndQuery.index(after: q)...]))
    }

    /// Query pairs sorted by name, then value (already encoded as sent).
    static func canonicalQuery(_ query: String) -> String {
        guard !query.isEmpty else { return "" }
        let pairs = query.split(separator: "&").map { part -> (String, String) in
            let kv = part.split(separator: "=", maxSplits: 1, omittingEmptySubsequences: false)
            return (String(kv[0]), kv.count > 1 ? String(kv[1]) : "")
        }
        return pairs.sorted { $0.0 == $1.0 ? $0.1 < $1.1 : $0.0 < $1.0 }.map { "\($0.0)=\($0.1)" }.joined(separator: "&")
    }

    /// `YYYYMMDD'T'HHMMSS'Z'` in UTC.
    static func amzDate(_ date: Date) -> String {
        RFC3339.format(date).filter { $0 != "-" && $0 != ":" }
    }

    static func hex(_ bytes: [UInt8]) -> String {
        bytes.map { b in
            let s = String(b, radix: 16)
            return s.count == 1 ? "0" + s : s
        }.joined()
    }
}
