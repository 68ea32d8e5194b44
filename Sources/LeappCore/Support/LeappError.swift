/// Every failure leapp reports is one of these: a one-line message saying what failed
/// and, where useful, what to do. Messages never carry secrets.
public struct LeappError: Error, CustomStringConvertible, Equatable {
    public enum Kind: String, Sendable {
        case usage, validation, config, network, markup, saml, idp, sts, keyring, file, needsUser
        /// Something of the user's is in the way (a profile leapp did not write).
        case conflict
        /// Another leapp holds what this one needs (a start of the same profile): try again.
        case busy
    }

    /// What a caller may decide on. Decisions look at this, never at the message text.
    public enum Reason: String, Sendable {
        /// STS or an IdP asked to slow down: worth retrying after a pause.
        case throttled
        /// STS refused DurationSeconds as above the role's maximum.
        case durationAboveMaximum
        /// An answer larger than leapp accepts: retrying will not help.
        case tooLarge
        /// A reference matched several sessions.
        case ambiguous
        /// The IdP asks for something only a browser can answer (a security key, a page
        /// leapp does not know): browser login would get through.
        case needsBrowser
        /// The secret store is there but cannot be used right now (locked, not answering in
        /// time, a wrong passphrase): the same command works once that changes.
        case keyringNotNow
        /// The IdP refused the username or password (a person at a terminal may try again).
        case loginRefused
    }

    public let kind: Kind
    public let message: String
    public let hint: String?
    public let reason: Reason?

    public init(_ kind: Kind, _ message: String, hint: String? = nil, reason: Reason? = nil) {
        self.kind = kind
        self.message = message
        self.hint = hint
        self.reason = reason
    }

    public var description: String {
        guard let hint else { return message }
        return "\(message); \(hint)"
    }

    /// Process exit status for this kind of failure.
    public var exitCode: Int32 {
        switch kind {
        case .usage, .validation: return 64
        case .needsUser: return 75
        case .network, .sts, .idp, .saml, .markup: return 69
        // A keyring that is locked or slow: EX_TEMPFAIL; one that is absent or unusable: EX_UNAVAILABLE.
        case .keyring: return reason == .keyringNotNow ? 75 : 69
        case .config, .file: return 74
        case .conflict: return 73
        case .busy: return 75
        }
    }
}
