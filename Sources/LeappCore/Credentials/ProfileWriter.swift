/// Fills and clears a named profile in the AWS CLI's files: `~/.aws/credentials`
/// (`AWS_SHARED_CREDENTIALS_FILE`) and `~/.aws/config` (`AWS_CONFIG_FILE`).
/// Every edit is atomic, under a lock, keeps all other bytes and leaves mode 0600.
public struct ProfileWriter {
    public let fs: FileSystem
    public let credentialsPath: String
    public let configPath: String
    /// How the AWS CLI should run leapp for `credential_process`.
    public let leappCommand: String

    static let credentialKeys = ["aws_access_key_id", "aws_secret_access_key", "aws_session_token",
                                 "x_security_token_expires", "x_principal_arn"]

    public init(fs: FileSystem, environment: [String: String], home: String, leappCommand: String) {
        func path(_ variable: String, _ fallback: String) -> String {
            guard let v = environment[variable], !v.isEmpty else { return home + "/.aws/" + fallback }
            return v.hasPrefix("~/") ? home + v.dropFirst() : v
        }
        self.fs = fs
        self.credentialsPath = path("AWS_SHARED_CREDENTIALS_FILE", "credentials")
        self.configPath = path("AWS_CONFIG_FILE", "config")
        self.leappCommand = leappCommand
    }

    static func configSection(_ profile: String) -> String { profile == "default" ? "default" : "profile \(profile)" }

    /// Writes what a started session's mode asks for.
    public func fill(_ session: Session, credentials: AWSCredentials) throws {
        switch session.output {
        case .credentialsFile:
            try edit(credentialsPath) { ini in
                ini.set([
                    ("aws_access_key_id", credentials.accessKeyId),
                    ("aws_secret_access_key", credentials.secretAccessKey),
                    ("aws_session_token", credentials.sessionToken),
                    ("x_security_token_expires", RFC3339.format(credentials.expiration)),
                    ("x_principal_arn", credentials.assumedRoleArn ?? session.roleArn),
                ], in: session.profile, remove: ["aws_security_token"])
            }
            try edit(configPath) { ini in
                ini.set([("region", session.region)], in: Self.configSection(session.profile), remove: ["credential_process"])
            }
        case .credentialProcess:
            try edit(configPath) { ini in
                ini.set([("region", session.region),
                         ("credential_process", "\(leappCommand) credential-process \(session.alias)")],
                        in: Self.configSection(session.profile))
            }
            // A section leapp wrote earlier in credentials-file mode would shadow credential_process.
            try removeCredentials(profile: session.profile)
        }
    }

    /// Removes what `fill` wrote for this profile.
    public func clear(_ session: Session) throws {
        try removeCredentials(profile: session.profile)
        try edit(configPath, createIfMissing: false) { ini in
            let section = Self.configSection(session.profile)
            if let process = ini.value("credential_process", in: section), process.hasSuffix(" credential-process \(session.alias)") {
                ini.remove(["credential_process", "region"], from: section)
            } else if ini.value("credential_process", in: section) == nil {
                ini.remove(["region"], from: section)
            }
        }
    }

    private func removeCredentials(profile: String) throws {
        try edit(credentialsPath, createIfMissing: false) { ini in
            guard ini.value("aws_access_key_id", in: profile) != nil, ini.value("x_security_token_expires", in: profile) != nil else { return }
            ini.remove(Self.credentialKeys, from: profile)
        }
    }

    private func edit(_ path: String, createIfMissing: Bool = true, _ change: (inout INIDocument) -> Void) throws {
        let dir = String(path[..<(path.lastIndex(of: "/") ?? path.startIndex)])
        if !dir.isEmpty && !fs.exists(dir) {
            guard createIfMissing else { return }
            try fs.createDirectory(dir, mode: 0o700)
        }
        try fs.withLock(path) {
            let before = try fs.read(path)
            if before == nil && !createIfMissing { return }
            let text = before.map { String(decoding: $0, as: UTF8.self) } ?? ""
            var ini = INIDocument(text)
            change(&ini)
            let after = ini.text
            if before != nil && after == text { return }
            try fs.writeAtomically(path, Array(after.utf8), mode: 0o600)
        }
    }
}
