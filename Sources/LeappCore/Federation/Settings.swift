/// What the person set for this run, typed. The executable reads it from the environment
/// (`Settings+Environment.swift` there, where every `LEAPP_*` and `AWS_*` name leapp reads is
/// listed); nothing in the core reads the environment itself.
public struct Settings: Sendable {
    /// A fixed MFA poll interval (`LEAPP_POLL_INTERVAL_MS`), else each IdP's own.
    public var pollIntervalMs: Double?
    /// How long an MFA approval is waited for, in seconds (`LEAPP_POLL_TIMEOUT`).
    public var pollTimeout: Double?
    /// A graphical display is there (`DISPLAY` or `WAYLAND_DISPLAY`).
    public var hasDisplay = false
    /// Browser logins run without a window (`LEAPP_BROWSER_HEADLESS`; tests and CI).
    public var browserHeadless = false
    /// How long a browser login may take, in seconds (`LEAPP_BROWSER_TIMEOUT`).
    public var browserTimeout: Double?
    /// Google's "awaittx" endpoint for a phone prompt (`LEAPP_GOOGLE_AWAIT_URL`; the simulator's).
    public var googleAwaitURL: String?
    /// OneLogin's API region (`LEAPP_ONELOGIN_REGION`).
    public var oneLoginRegion = "us"
    /// A OneLogin API client (`LEAPP_ONELOGIN_CLIENT_ID`, `LEAPP_ONELOGIN_CLIENT_SECRET`).
    public var oneLoginClient: APIClient?
    /// STS's endpoint when not the region's (`AWS_ENDPOINT_URL_STS`, then `AWS_ENDPOINT_URL`).
    public var stsEndpoint: String?
    /// The AWS federation endpoint for console sign-in (`LEAPP_FEDERATION_URL`).
    public var federationURL: String?
    /// The AWS SAML sign-in page account names are read from (`LEAPP_AWS_SIGNIN_URL`; else the partition's).
    public var signinURL: String?

    public struct APIClient: Sendable, Equatable {
        public var id: String
        public var secret: String
        public init(id: String, secret: String) {
            self.id = id
            self.secret = secret
        }
    }

    public init() {}

    /// A browser can be driven here: a display, or headless on purpose.
    public var canOpenBrowser: Bool { browserHeadless || hasDisplay }
}
