/// Renders the environment of an active session for a shell.
public struct SessionEnvironment: Sendable {
    public var alias: String
    public var roleArn: String
    public var region: String
    public var credentials: AWSCredentials

    public init(alias: String, roleArn: String, region: String, credentials: AWSCredentials) {
        self.alias = alias
        self.roleArn = roleArn
        self.region = region
        self.credentials = credentials
    }

    /// Variables set, in order.
    public var variables: [(String, String)] {
        [
            ("AWS_ACCESS_KEY_ID", credentials.accessKeyId),
            ("AWS_SECRET_ACCESS_KEY", credentials.secretAccessKey),
            ("AWS_SESSION_TOKEN", credentials.sessionToken),
            ("AWS_REGION", region),
            ("AWS_DEFAULT_REGION", region),
            ("AWS_CREDENTIAL_EXPIRATION", RFC3339.format(credentials.expiration)),
            ("LEAPP_SESSION", alias),
            ("LEAPP_ROLE_ARN", roleArn),
            ("LEAPP_EXPIRATION", String(credentials.expiration.epochSeconds)),
        ]
    }

    /// Variables removed: a stale profile could shadow the keys (or make boto3 fail),
    /// and botocore reads the legacy AWS_SECURITY_TOKEN before AWS_SESSION_TOKEN.
    public static let unsetVariables = ["AWS_PROFILE", "AWS_DEFAULT_PROFILE", "AWS_SECURITY_TOKEN"]

    /// Every variable leapp manages, for saving and restoring around activation.
    public static let managedVariables =
        [
            "AWS_ACCESS_KEY_ID", "AWS_SECRET_ACCESS_KEY", "AWS_SESSION_TOKEN", "AWS_REGION", "AWS_DEFAULT_REGION",
            "AWS_CREDENTIAL_EXPIRATION", "LEAPP_SESSION", "LEAPP_ROLE_ARN", "LEAPP_EXPIRATION",
        ] + unsetVariables

    public func render(_ shell: ExportFormat) -> String {
        if let dialect = shell.dialect {
            return Self.unsetVariables.map(dialect.unset).joined() + variables.map(dialect.export).joined()
        }
        switch shell {
        case .dotenv: return variables.map { "\($0.0)=\(ShellQuoting.dotenv($0.1))\n" }.joined()
        default: return credentials.processJSON + "\n"
        }
    }

    /// What removes every managed variable (for `leapp env --unset`).
    public static func renderUnset(_ shell: ExportFormat) -> String {
        shell.dialect.map { d in managedVariables.map(d.unset).joined() } ?? ""
    }
}
