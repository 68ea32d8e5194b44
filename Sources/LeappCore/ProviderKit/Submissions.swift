/// What a login sends that an IdP refuses by showing its form again.
public enum LoginAnswer: Sendable, Hashable {
    case username, password, code
}

/// The answers a login has sent, so that a form coming back reads as the IdP's refusal: the one
/// place the kit says "login refused" and "one-time code refused".
public struct Submissions: Sendable {
    private var sent: Set<LoginAnswer> = []

    public init() {}

    /// Whether the answer went to the IdP already in this login.
    public func has(_ answer: LoginAnswer) -> Bool { sent.contains(answer) }

    /// Marks the answers a form carries as sent. When one of them was sent already, the IdP
    /// showed its form again, which is its refusal: the error quotes `why` (the IdP's message on
    /// the page), else says the step's page came back.
    public mutating func submit(_ answers: Set<LoginAnswer>, why: @autoclosure () -> String?, in context: LoginContext) throws {
        guard sent.isDisjoint(with: answers) else { throw Self.refused(answers, why: why(), in: context) }
        sent.formUnion(answers)
    }

    /// The standard refusal for answers the IdP turned down.
    public static func refused(_ answers: Set<LoginAnswer>, why: String?, in context: LoginContext) -> LeappError {
        let reason = why ?? "the \(context.step) page came back"
        if answers.contains(.code) {
            return context.failure(
                "one-time code refused: \(reason)", hint: "check the code (or the authenticator's clock) and try a fresh one")
        }
        let error = context.failure(
            "login refused: \(reason)", hint: answers == [.username] ? "check the username" : "check the username and password")
        return LeappError(error.kind, error.message, hint: error.hint, reason: answers.contains(.password) ? .loginRefused : nil)
    }
}
