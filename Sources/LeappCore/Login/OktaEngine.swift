/// Which engine an Okta org runs: `/.well-known/okta-organization` says `"pipeline": "idx"`
/// for Identity Engine orgs. An Identity Engine answer is kept on the IdP URL's record
/// (`IdPURL.oktaEngine`; cleared when the URL changes) and not asked again; a classic org is
/// asked at each login, since Okta upgrades orgs in place.
public enum OktaEngine: String, Codable, Sendable {
    case classic
    case identityEngine = "idx"

    /// The org's engine, or nil when the org does not say (a network failure, another answer).
    static func probe(origin: String, send: (HTTPRequest) throws -> HTTPResponse) -> OktaEngine? {
        guard
            let answer = try? send(HTTPRequest(url: origin + "/.well-known/okta-organization", headers: [("Accept", "application/json")])),
            answer.status == 200, let pipeline = JSONValue.parse(answer.body)?["pipeline"]?.string
        else { return nil }
        return pipeline == "idx" ? .identityEngine : .classic
    }
}
