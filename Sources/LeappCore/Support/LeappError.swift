/// Every failure leapp reports is one of these: a one-line message saying what failed
/// and, where useful, what to do. Messages never carry secrets.
public struct LeappError: Error, CustomStringConvertible, Equatable {
    public enum Kind: String, Sendable {
        case usage, validation, config, network, markup, saml, idp, sts, keyring, file, needsUser
        /// Something of the user's is in the way (a profile leapp did not write).
        case conflict
    }
    public let kind: Kind
    public let message: String
    public let hint: String?

    public init(_ kind: Kind, _ message: String, hint: String? = nil) {
        self.kind = kind
        self.message = message
        self.hint = hint
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
        case .keyring: return 70
        case .config, .file: return 74
        case .conflict: return 73
        }
    }
}
