/// What a session is: the one meaning `session list`, `session current`, the prompt and
/// doctor share (README, "Session states").
public enum SessionState: Equatable, Sendable {
    /// Started: valid credentials are cached and its profile entries are written, so
    /// `aws --profile` works (through `credential_process`, or the keys in the credentials file).
    case active(until: Date)
    /// Valid credentials are cached for `leapp env`, `exec` or the prompt hook, but the session
    /// was not started: its profile is not written.
    case cached(until: Date)
    /// Credentials are cached but expired at the date.
    case expired(at: Date)
    /// Nothing is cached.
    case stopped

    /// The rule: cached credentials make a session active only with its profile written.
    public static func of(_ credentials: AWSCredentials?, profileWritten: Bool, at now: Date) -> SessionState {
        guard let credentials else { return .stopped }
        guard credentials.expiration > now else { return .expired(at: credentials.expiration) }
        return profileWritten ? .active(until: credentials.expiration) : .cached(until: credentials.expiration)
    }

    /// The word `session list` and `--filter state=` use.
    public var name: String {
        switch self {
        case .active: return "active"
        case .cached: return "cached"
        case .expired: return "expired"
        case .stopped: return "stopped"
        }
    }

    public var expiration: Date? {
        switch self {
        case .active(let date), .cached(let date), .expired(let date): return date
        case .stopped: return nil
        }
    }

    /// Valid credentials are there (active or cached): what time-left columns show.
    public var hasValidCredentials: Bool {
        switch self {
        case .active, .cached: return true
        case .expired, .stopped: return false
        }
    }

    public var isActive: Bool { if case .active = self { true } else { false } }
}

/// The session use-cases: start, start-all, stop, delete, refresh and persist, with the rules
/// that hold them together. The files are written before the keyring caches, and put back
/// when the keyring fails; one start per named profile runs at a time; starting a session
/// stops the others on its profile. Commands call these and print what comes back.
public struct SessionService {
    public let federation: Federation
    public let profiles: ProfileWriter
    public let locks: ProfileLocks
    public let clock: Clock

    public init(federation: Federation, profiles: ProfileWriter, locks: ProfileLocks, clock: Clock) {
        self.federation = federation
        self.profiles = profiles
        self.locks = locks
        self.clock = clock
    }

    /// A started session: its credentials, whether they are new, and the sessions on its
    /// profile that stopped for it.
    public struct Started {
        public let session: Session
        public let credentials: AWSCredentials
        public let fresh: Bool
        public let stopped: [Session]

        /// The line a start ends with.
        public func summary(at now: Date) -> String {
            let left = DurationText.left(Int(credentials.expiration.timeIntervalSince(now)))
            return
                "session \(session.alias) \(fresh ? "started" : "is active") as \(credentials.assumedRoleArn ?? session.roleArn) (profile \(session.profile), \(left) left)"
        }
    }

    // MARK: states

    /// Each session's state. A keyring that fails stops the walk: the sessions not read yet
    /// are left out and the failure comes back beside the states.
    public func states(of sessions: [Session]) -> (states: [String: SessionState], failure: LeappError?) {
        var out: [String: SessionState] = [:]
        let now = clock.now
        let written: Set<String>
        do {
            written = Set(try profiles.loadLedger().records.map(\.session))
        } catch let e as LeappError {
            return (out, e)
        } catch {
            return (out, LeappError(.file, "\(error)"))
        }
        for s in sessions {
            do {
                out[s.id] = SessionState.of(try federation.cached(s), profileWritten: written.contains(s.id), at: now)
            } catch let e as LeappError {
                return (out, e)
            } catch {
                return (out, LeappError(.keyring, "\(error)"))
            }
        }
        return (out, nil)
    }

    // MARK: start

    /// Starts one session: refuses a profile holding the user's own entries (unless the session
    /// takes it over), holds the profile's start lock, logs in unless cached credentials are
    /// valid (or `options.force`), writes the profile, caches, and stops the others on it.
    public func start(_ s: Session, in config: Configuration, options: LoginOptions) throws -> Started {
        if !s.takeOver, let conflict = try profiles.conflicts(s).first { throw conflict.error(s) }
        let lock = try locks.start(s.profile)
        defer { withExtendedLifetime(lock) {} }
        let (credentials, fresh) = try obtain(s, in: config, options: options, holding: [s.profile])
        if fresh {
            try persist(credentials, for: s, fill: true)
        } else {
            try profiles.fill(s, credentials: credentials)
        }
        return Started(session: s, credentials: credentials, fresh: fresh, stopped: try stopOthers(on: s, in: config))
    }

    /// The outcome of starting every session of an IdP URL.
    public struct StartedAll {
        public var started: [Started] = []
        /// Sessions left out before the login, with why.
        public var skipped: [(Session, String)] = []
        public var failed: [(Session, LeappError)] = []
    }

    /// One login for every session of an IdP URL. A session whose profile another of the set
    /// already fills, or whose profile holds the user's own entries (without take-over), is
    /// skipped. Each session's outcome is its own.
    public func startAll(at idp: IdPURL, in config: Configuration, options: LoginOptions, takeOver: Bool) throws -> StartedAll {
        var outcome = StartedAll()
        var chosen: [Session] = []
        var profilesTaken = Set<String>()
        for s in config.sessions where s.idpUrlId == idp.id {
            guard profilesTaken.insert(s.profile).inserted else {
                outcome.skipped.append((s, "profile \(s.profile) is already another session's in this start"))
                continue
            }
            if !s.takeOver && !takeOver, let conflict = try profiles.conflicts(s).first {
                outcome.skipped.append((s, conflict.error(s).message))
                continue
            }
            chosen.append(s)
        }
        guard !chosen.isEmpty else { throw LeappError(.usage, "no session to start at \(idp.name)", hint: "see `leapp session list`") }
        let held = try chosen.map { try locks.start($0.profile) }
        defer { withExtendedLifetime(held) {} }
        for (s, result) in try federation.startAll(chosen, at: idp, options: options) {
            do {
                let credentials = try result.get()
                try persist(credentials, for: s, fill: true)
                // The chosen sessions have profiles of their own: none stops another here.
                outcome.started.append(
                    Started(session: s, credentials: credentials, fresh: true, stopped: try stopOthers(on: s, in: config)))
            } catch let error as LeappError {
                outcome.failed.append((s, error))
            }
        }
        return outcome
    }

    /// One active session per named profile: the others on the profile that hold credentials stop.
    func stopOthers(on s: Session, in config: Configuration) throws -> [Session] {
        var stopped: [Session] = []
        for other in config.sharingProfile(with: s) where (try? federation.cached(other)) != nil {
            try federation.stop(other, forgetIdP: false)
            stopped.append(other)
        }
        return stopped
    }

    // MARK: stop and delete

    /// Stops a session: the keyring first (if it fails, the files are untouched and the
    /// session still shows as active), then its profile entries. Stops of one profile take turns.
    public func stop(_ s: Session, forgetIdP: Bool) throws {
        try locks.waiting(for: s.profile) {
            try federation.stop(s, forgetIdP: forgetIdP)
            try profiles.clear(s)
        }
    }

    /// What is left of a deleted session once it is gone from the configuration: its cached
    /// credentials (a keyring failure is returned, not thrown: the session is already gone)
    /// and its profile entries.
    public func forget(deleted s: Session) throws -> LeappError? {
        var keyringFailure: LeappError?
        do {
            try federation.secrets.delete(.credentials, key: s.id)
        } catch let error as LeappError {
            keyringFailure = error
        }
        try profiles.clear(s)
        return keyringFailure
    }

    // MARK: refresh

    /// Credentials for a session: cached ones without any lock (the fast path, one keyring
    /// read); otherwise the login runs holding the profile's lock, so parallel callers (the
    /// AWS CLI running credential_process many times at once) wait for one login and share it.
    ///
    /// When the refresh fails in a way `servesStale` accepts (by default: a person must log in
    /// and none can), the cached credentials serve while they are still valid; the failure
    /// comes back beside them, so that a caller can warn (`staleWarning`) and back off.
    /// `margin` asks for credentials valid longer than leapp's own refresh margin (the endpoint's).
    public func credentials(
        for session: Session, in config: Configuration, options: LoginOptions = LoginOptions(), margin: TimeInterval? = nil,
        servingStaleOn servesStale: (LeappError) -> Bool = { $0.kind == .needsUser }
    ) throws -> (credentials: AWSCredentials, refreshFailure: LeappError?) {
        if let cached = try validCache(session, margin: margin) { return (cached, nil) }
        return try locks.waiting(for: session.profile) {
            try refresh(session, in: config, options: options, margin: margin, servingStaleOn: servesStale, holding: [session.profile])
        }
    }

    /// The refresh itself, with the locks of the profiles in `held` already held.
    func refresh(
        _ session: Session, in config: Configuration, options: LoginOptions, margin: TimeInterval?,
        servingStaleOn servesStale: (LeappError) -> Bool, holding held: Set<String>
    ) throws -> (credentials: AWSCredentials, refreshFailure: LeappError?) {
        let (credentials, fresh): (AWSCredentials, Bool)
        do {
            (credentials, fresh) = try obtain(session, in: config, options: options, margin: margin, holding: held)
        } catch let error as LeappError where servesStale(error) {
            guard let cached = try? federation.cached(session), cached.expiration > clock.now else { throw error }
            return (cached, error)
        }
        if fresh { try persist(credentials, for: session) }
        return (credentials, nil)
    }

    /// Valid cached credentials or new ones. A federated session logs in (`Federation`); a
    /// chained one gets its parent's credentials first (cached, else refreshed and kept, as the
    /// parent's own refresh would) and assumes its role with them. `held`: the profile locks
    /// this call already holds (a parent on the same profile is refreshed without taking it again).
    func obtain(
        _ s: Session, in config: Configuration, options: LoginOptions, margin: TimeInterval? = nil, holding held: Set<String>
    ) throws -> (AWSCredentials, fresh: Bool) {
        guard s.isChained else { return try federation.credentials(for: s, in: config, options: options, margin: margin) }
        if !options.force, let cached = try validCache(s, margin: margin) {
            federation.log("using cached credentials of \(s.alias), valid until \(RFC3339.format(cached.expiration))")
            return (cached, false)
        }
        let parent = try config.parent(of: s)
        var parentOptions = options
        parentOptions.force = false
        func refreshParent(holding held: Set<String>) throws -> AWSCredentials {
            try refresh(parent, in: config, options: parentOptions, margin: nil, servingStaleOn: { $0.kind == .needsUser }, holding: held)
                .credentials
        }
        let parentCredentials =
            try validCache(parent)
            ?? (held.contains(parent.profile)
                ? refreshParent(holding: held)
                : locks.waiting(for: parent.profile) { try refreshParent(holding: held.union([parent.profile])) })
        federation.log("assuming \(s.roleArn) with session \(parent.alias)'s credentials")
        return (try federation.assumeChained(s, with: parentCredentials), true)
    }

    /// The warning for stale credentials served after a failed refresh.
    public func staleWarning(_ session: Session, _ credentials: AWSCredentials, _ failure: LeappError) -> String {
        let minutes = Int(credentials.expiration.timeIntervalSince(clock.now)) / 60
        return
            "session \(session.alias) expires in \(minutes)m and could not be refreshed (\(failure.message)); run `leapp session start \(session.alias)`"
    }

    /// Cached credentials that are not yet in the refresh window (leapp's, or a wider `margin`).
    public func validCache(_ session: Session, margin: TimeInterval? = nil) throws -> AWSCredentials? {
        let margin = max(margin ?? 0, federation.refreshMargin)
        guard let cached = try federation.cached(session), cached.isValid(at: clock.now, margin: margin) else {
            return nil
        }
        return cached
    }

    /// Stores new credentials: a session filling a credentials-file profile rewrites it first
    /// (so `aws --profile` gets the new keys too), then the keyring caches them. If the keyring
    /// fails, the files go back to what the keyring still holds (a session that was active
    /// stays so), or to nothing.
    public func persist(_ credentials: AWSCredentials, for session: Session, fill: Bool = false) throws {
        let owned = try profiles.owns(session)
        let writesFile = fill || (owned && session.output == .credentialsFile)
        if writesFile { try profiles.fill(session, credentials: credentials) }
        do {
            try federation.save(credentials, for: session)
        } catch {
            if writesFile {
                if owned, let before = try? federation.cached(session) {
                    try? profiles.fill(session, credentials: before)
                } else {
                    try? profiles.clear(session)
                }
            }
            throw error
        }
    }
}
