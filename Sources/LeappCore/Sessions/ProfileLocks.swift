/// One login per named profile at a time. A `session start` takes the profile's lock without
/// waiting and is refused while another start holds it; a background refresh (`env`,
/// `credential-process`, the hook) and `stop` wait for it, so a burst of `credential_process`
/// calls from the AWS CLI makes one login, not fifty.
public struct ProfileLocks {
    public let fs: FileSystem
    public let directory: String

    public init(fs: FileSystem, dataDirectory: String) {
        self.fs = fs
        self.directory = dataDirectory + "/locks"
    }

    func path(_ profile: String) -> String { directory + "/profile-" + profile }

    /// The start lock, held as long as the returned object lives; `.busy` when another start holds it.
    public func start(_ profile: String) throws -> AnyObject {
        try fs.createDirectory(directory, mode: 0o700)
        guard let lock = try fs.tryLock(path(profile)) else {
            throw LeappError(
                .busy, "another `leapp session start` for profile \(profile) is in progress",
                hint: "wait for it to finish, then run this again")
        }
        return lock
    }

    /// Runs body while no other leapp uses the IdP URL's rotating refresh material.
    public func waiting<T>(forIdPURL id: String, _ body: () throws -> T) throws -> T {
        try fs.createDirectory(directory, mode: 0o700)
        return try fs.withLock(directory + "/idp-" + id, body)
    }

    /// Runs body once no start or refresh of the profile is running.
    public func waiting<T>(for profile: String, _ body: () throws -> T) throws -> T {
        try fs.createDirectory(directory, mode: 0o700)
        return try fs.withLock(path(profile), body)
    }
}

extension Configuration {
    /// One active session per named profile (Leapp's rule): the sessions a start of this one stops.
    public func sharingProfile(with session: Session) -> [Session] {
        sessions.filter { $0.profile == session.profile && $0.id != session.id }
    }
}

extension SecretKind {
    /// What `--forget` and deleting an IdP URL drop: everything kept per IdP URL.
    public static let perIdPURL: [SecretKind] = [.idpSession, .password, .apiClient]
}
