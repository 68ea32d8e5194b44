/// What a command run under the endpoint (`leapp exec --server`) gets in its environment:
/// the endpoint's URL and token instead of keys, the session's region and leapp's own names.
public struct EndpointEnvironment: Sendable {
    public var alias: String
    public var roleArn: String
    public var region: String
    public var url: String
    public var token: String

    public init(alias: String, roleArn: String, region: String, url: String, token: String) {
        self.alias = alias
        self.roleArn = roleArn
        self.region = region
        self.url = url
        self.token = token
    }

    public var variables: [(String, String)] {
        [
            ("AWS_CONTAINER_CREDENTIALS_FULL_URI", url),
            ("AWS_CONTAINER_AUTHORIZATION_TOKEN", token),
            ("AWS_REGION", region),
            ("AWS_DEFAULT_REGION", region),
            ("LEAPP_SESSION", alias),
            ("LEAPP_ROLE_ARN", roleArn),
        ]
    }

    /// Removed, because the SDKs would take them before the endpoint: static keys (the SDKs'
    /// chain reads the environment first), a profile, and the other container variables.
    public static let unsetVariables =
        SessionEnvironment.managedVariables.filter {
            !["AWS_REGION", "AWS_DEFAULT_REGION", "LEAPP_SESSION", "LEAPP_ROLE_ARN"].contains($0)
        }
        + ["AWS_CONTAINER_CREDENTIALS_RELATIVE_URI", "AWS_CONTAINER_AUTHORIZATION_TOKEN_FILE"]

    /// The keys of a profile that make the SDKs take credentials from it, ahead of the endpoint.
    public static let credentialKeys = [
        "aws_access_key_id", "credential_process", "role_arn", "sso_start_url", "sso_session", "web_identity_token_file",
        "credential_source",
    ]

    /// Whether the default profile of an AWS config or credentials file supplies credentials:
    /// the SDKs read it before the container endpoint, so it would shadow leapp's.
    public static func defaultProfileSuppliesCredentials(_ file: INIDocument, isConfig: Bool) -> Bool {
        let section = "default"
        return credentialKeys.contains { file.value($0, in: section) != nil }
            || (isConfig && credentialKeys.contains { file.value($0, in: "profile default") != nil })
    }
}
