/// How a login reaches the SAMLResponse. An IdP URL names its method (headless unless set);
/// `--login-method`, or `--saml-response-file`, chooses for one login. Whatever method ran, the
/// federation core takes the SAMLResponse from there on, and the IdP cookies a login earns go
/// to the one keyring record of the IdP URL, where every method finds them.
public enum LoginMethodKind: String, Codable, CaseIterable, Sendable {
    /// HTTP and HTML/JSON, driven by the provider's state machine.
    case headless
    /// A SAMLResponse captured elsewhere (a browser's developer tools), given as a file or on stdin.
    case paste
    /// A real Chromium-family browser: the person answers whatever the IdP asks there.
    case browser
    /// OAuth 2.0 device authorization and a Web SSO token (Okta Identity Engine).
    case device
}

/// One way to log in: from an IdP URL and what the user gave to the SAMLResponse form.
public protocol LoginMethod {
    func samlResponse(at idp: IdPURL, _ login: LoginRequest) throws -> SAMLResponseForm
}

/// What one login has to work with.
public struct LoginRequest {
    public var http: HTTPClient
    public var options: LoginOptions
    /// The command that completes a login a person must finish (for messages).
    public var resumeCommand: String
    /// The partition of the role, for a pasted response (which has no form action to tell it).
    public var partition: Partition?

    public init(http: HTTPClient, options: LoginOptions, resumeCommand: String, partition: Partition?) {
        self.http = http
        self.options = options
        self.resumeCommand = resumeCommand
        self.partition = partition
    }
}
