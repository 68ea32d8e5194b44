/// One MFA option an IdP offers, described the way the kit's one policy needs.
public struct MFAOption: Sendable, Equatable {
    public enum Kind: Sendable, Equatable {
        /// A code the person already has: an authenticator app, a hardware token.
        case code
        /// A code the IdP sends when this option is chosen: SMS, email, a voice call.
        case sentCode
        /// An approval on a device: Okta Verify, Microsoft Authenticator, OneLogin Protect.
        case push
        /// Anything else (a security key, an unknown type).
        case other
    }

    public var id: String
    public var label: String
    public var kind: Kind
    /// The IdP marks this option as the user's default.
    public var isDefault: Bool

    public init(id: String, label: String, kind: Kind, isDefault: Bool = false) {
        self.id = id
        self.label = label
        self.kind = kind
        self.isDefault = isDefault
    }
}

extension LoginContext {
    /// The one MFA policy of every provider: `--mfa-factor` (an id, a label, or a part of one)
    /// wins; otherwise a menu on a terminal; otherwise, with `--mfa-code`, an option the code
    /// is for (never one that sends a text or a call the user did not ask for); otherwise the
    /// IdP's default, then a push, then the first.
    public func chooseFactor(_ options: [MFAOption]) throws -> Int {
        guard !options.isEmpty else { throw failure("MFA required but no factor offered") }
        if let wanted = mfaFactor?.lowercased() {
            if let i = options.firstIndex(where: { $0.id.lowercased() == wanted || $0.label.lowercased() == wanted })
                ?? options.firstIndex(where: { $0.label.lowercased().contains(wanted) || $0.id.lowercased().hasPrefix(wanted) })
            {
                return i
            }
            throw failure(
                "no MFA factor matches '\(Validation.printable(wanted))'",
                hint: "available: " + options.map(\.label).joined(separator: ", "))
        }
        if options.count == 1 { return 0 }
        if prompter.isInteractive {
            return try prompter.choose("Choose an MFA factor:", options: options.map(\.label))
        }
        if mfaCode != nil {
            if let i = options.firstIndex(where: { $0.kind == .code && $0.isDefault }) ?? options.firstIndex(where: { $0.kind == .code }) {
                return i
            }
        }
        return options.firstIndex(where: \.isDefault) ?? options.firstIndex { $0.kind == .push } ?? 0
    }
}
