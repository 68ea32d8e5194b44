/// The port to a real browser: LeappSystem drives a Chromium-family browser over the
/// DevTools pipe; the core only says what to open, what to catch and what to keep.
public protocol BrowserLauncher {
    /// Opens `request.url` in a fresh private browser holding `request.cookies`, lets the
    /// person log in, and stops the first request to a URL starting with one of
    /// `request.catching` before it leaves the browser. Returns that request's form body and
    /// the cookies the browser then holds. The browser and its profile are gone when this
    /// returns or throws.
    func catchPost(_ request: BrowserCatchRequest) throws -> BrowserCatch
    /// Throws what is missing (no browser to run) before anything is announced.
    func checkAvailable() throws
}

extension BrowserLauncher {
    public func checkAvailable() throws {}
}

public struct BrowserCatchRequest: Sendable {
    public var url: String
    public var cookies: [BrowserCookie]
    /// URL prefixes whose request is caught (the partitions' SAML sign-in URLs).
    public var catching: [String]
    /// Seconds the person has to finish.
    public var timeout: Double
    public var headless: Bool

    public init(url: String, cookies: [BrowserCookie], catching: [String], timeout: Double, headless: Bool) {
        self.url = url
        self.cookies = cookies
        self.catching = catching
        self.timeout = timeout
        self.headless = headless
    }
}

public struct BrowserCatch: Sendable {
    /// The URL the caught request went to.
    public var url: String
    /// Its body (the url-encoded form).
    public var body: [UInt8]
    public var cookies: [BrowserCookie]

    public init(url: String, body: [UInt8], cookies: [BrowserCookie]) {
        self.url = url
        self.body = body
        self.cookies = cookies
    }
}
