import CLeappShims
import LeappCore

#if canImport(Glibc)
    import Glibc
#endif

/// The HTTP port on libcurl: a PolicyHTTPClient (the core's redirect and transport rules)
/// around one curl handle (and so one cookie jar) per login, TLS verification always on,
/// bounded bodies and time.
public final class CurlHTTPClient: PolicyHTTPClient {
    public struct Options: Sendable {
        public var userAgent = "leapp/\(LeappVersion.current)"
        public var caBundle: String?
        public var connectTimeoutMs = 10_000
        public var timeoutMs = 30_000
        public var maxBodyBytes = 8 * 1024 * 1024
        public var maxRedirects = 10
        public init() {}
    }

    public let options: Options

    public init(options: Options = Options()) throws {
        self.options = options
        super.init(transport: try CurlTransport(options: options), maxRedirects: options.maxRedirects)
    }
}

/// One curl handle: a request on the wire, no redirect followed (PolicyHTTPClient follows them).
final class CurlTransport: HTTPTransport {
    private let handle: UnsafeMutableRawPointer
    let options: CurlHTTPClient.Options

    init(options: CurlHTTPClient.Options) throws {
        var error: UnsafeMutablePointer<CChar>?
        guard let h = leapp_http_new(&error) else {
            throw LeappError(.network, takeString(error) ?? "cannot initialise libcurl")
        }
        handle = h
        self.options = options
    }

    deinit { leapp_http_free(handle) }

    func perform(_ request: HTTPRequest, host: String) throws -> TransportAnswer {
        let headerLines = request.headers.map { "\($0.0): \($0.1)" }
        let cHeaders: [UnsafeMutablePointer<CChar>?] = headerLines.map { strdup($0) } + [nil]
        defer { for header in cHeaders { free(header) } }
        let body = request.body ?? []
        var result = leapp_http_result()
        defer { leapp_http_result_clear(&result) }
        request.method.withCString { method in
            request.url.withCString { url in
                options.userAgent.withCString { ua in
                    withOptionalCString(options.caBundle) { ca in
                        body.withUnsafeBufferPointer { bodyBuf in
                            cHeaders.withUnsafeBufferPointer { hdrs in
                                hdrs.baseAddress!.withMemoryRebound(to: UnsafePointer<CChar>?.self, capacity: hdrs.count) { h in
                                    var req = leapp_http_request(
                                        method: method, url: url,
                                        body: bodyBuf.baseAddress.map { UnsafeRawPointer($0).assumingMemoryBound(to: CChar.self) },
                                        body_len: body.count, headers: h, user_agent: ua, ca_bundle: ca,
                                        connect_timeout_ms: options.connectTimeoutMs, timeout_ms: options.timeoutMs,
                                        max_body: options.maxBodyBytes, negotiate: request.negotiate ? 1 : 0)
                                    leapp_http_perform(handle, &req, &result)
                                }
                            }
                        }
                    }
                }
            }
        }
        if result.too_large != 0 {
            throw LeappError(
                .network, "response from \(host) is too large (over \(options.maxBodyBytes / 1024 / 1024) MiB)", reason: .tooLarge)
        }
        if result.code != 0 {
            let reason = result.error.map { String(cString: $0) } ?? "curl error \(result.code)"
            let hint: String?
            switch result.code {
            case 6: hint = "check the host name and your network"
            case 7: hint = "is the server up?"
            case 28: hint = "the server did not answer in time"
            case 35, 51, 53, 54, 58, 59, 60, 77, 80, 82, 83, 90, 91:
                hint = "TLS verification failed; set LEAPP_CA_BUNDLE to your CA bundle if you use a private CA"
            default: hint = nil
            }
            throw LeappError(.network, "request to \(host) failed: \(Validation.printable(reason, limit: 200))", hint: hint)
        }
        let bytes = result.body.map { Array(UnsafeRawBufferPointer(start: $0, count: result.body_len)) } ?? []
        return TransportAnswer(
            status: Int(result.status), location: result.redirect_url.map { String(cString: $0) },
            date: result.date.map { String(cString: $0) }, body: bytes)
    }

    func exportCookies() -> String {
        guard let raw = leapp_http_export_cookies(handle) else { return "" }
        defer { leapp_free(raw) }
        return String(cString: raw)
    }

    func importCookies(_ jar: String) {
        for line in jar.split(separator: "\n") where !line.isEmpty {
            _ = String(line).withCString { leapp_http_import_cookie(handle, $0) }
        }
    }
}

func takeString(_ p: UnsafeMutablePointer<CChar>?) -> String? {
    guard let p else { return nil }
    defer { leapp_free(p) }
    return String(cString: p)
}

func withOptionalCString<R>(_ s: String?, _ body: (UnsafePointer<CChar>?) -> R) -> R {
    guard let s else { return body(nil) }
    return s.withCString { body($0) }
}
