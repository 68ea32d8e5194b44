/// What a page of an IdP flow means for leapp.
public enum SAMLPage {
    /// The final form posting the SAMLResponse to the AWS sign-in endpoint.
    case response(SAMLResponseForm)
    /// An auto-submitting form that carries SAML messages on to another hop.
    case relay(HTMLForm)
    case other

    public static let maxEncodedSize = 4 * 1024 * 1024

    public static func classify(_ forms: [HTMLForm], pageURL: String) throws -> SAMLPage {
        var finals: [SAMLResponseForm] = []
        var relays: [HTMLForm] = []
        for form in forms {
            let target = WebURL(pageURL)?.resolve(form.action) ?? form.action
            if let response = form.value("SAMLResponse") {
                if let url = WebURL(target), let partition = Partition.forSigninHost(url.host) {
                    finals.append(
                        SAMLResponseForm(
                            samlResponse: response, relayState: form.value("RelayState"),
                            action: target, partition: partition))
                } else {
                    relays.append(form)
                }
            } else if form.value("SAMLRequest") != nil || form.value("wresult") != nil {
                relays.append(form)
            }
        }
        let distinct = Set(finals.map(\.samlResponse))
        if distinct.count > 1 {
            throw LeappError(
                .saml, "the page holds \(distinct.count) different SAML responses", hint: "the IdP page is not one leapp can trust")
        }
        if let final = finals.first { return .response(final) }
        if let relay = relays.first { return .relay(relay) }
        return .other
    }
}

public struct SAMLResponseForm: Sendable, Equatable {
    public var samlResponse: String
    public var relayState: String?
    public var action: String
    /// The partition of the sign-in page the form posts to; nil when an IdP API returned
    /// the response directly (then the role's partition applies).
    public var partition: Partition?

    public init(samlResponse: String, relayState: String? = nil, action: String, partition: Partition?) {
        self.samlResponse = samlResponse
        self.relayState = relayState
        self.action = action
        self.partition = partition
    }
}
