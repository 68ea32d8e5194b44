/// A role the IdP offers, with the account's name when known.
public struct DiscoveredRole: Sendable, Equatable {
    public var role: OfferedRole
    public var account: String
    public var accountName: String?
    public var name: String
    public var partition: Partition

    /// `name (id)` when the account's name is known, else the id.
    public var accountLabel: String { accountName.map { "\($0) (\(account))" } ?? account }
}

/// What one login at an IdP URL says about its roles.
public struct Discovery: Sendable {
    /// Sorted by account, then role name.
    public var roles: [DiscoveredRole]
    /// Account names the AWS sign-in page gave this time (empty when not asked or none).
    public var newNames: [String: String]
    /// Why account names were asked for and not read (the roles are there all the same).
    public var namesFailure: LeappError?
}

extension Federation {
    /// Logs in once and reads every role the assertion offers. With `readNames`, the
    /// SAMLResponse is also posted to the AWS sign-in page (as a browser would) to read the
    /// accounts' names; `knownNames` name the accounts from earlier.
    public func discover(at idp: IdPURL, options: LoginOptions, readNames: Bool, knownNames: [String: String]) throws -> Discovery {
        let http = try makeHTTP()
        let form = try samlResponse(
            at: idp, http: http, options: options, resumeCommand: "leapp idp-url roles \(idp.name)", pastedPartition: nil)
        let assertion = try SAMLAssertion(encoded: form.samlResponse, parser: parser)
        if assertion.isEncrypted {
            throw LeappError(
                .saml, "the assertion is encrypted, so its roles cannot be read here",
                hint: "add sessions with their role ARNs by hand (`leapp session add --role-arn ...`)")
        }
        var parsed: [(OfferedRole, IAMARN)] = assertion.roles.compactMap { offered in
            (try? IAMARN(parsing: offered.roleArn, expecting: .role)).map { (offered, $0) }
        }
        parsed.sort { ($0.1.account, $0.1.name) < ($1.1.account, $1.1.name) }
        var newNames: [String: String] = [:]
        var failure: LeappError?
        if readNames, let partition = form.partition ?? parsed.first?.1.partition {
            do {
                newNames = try accountNames(for: form, partition: partition, http: http)
                let offered = Set(parsed.map(\.1.account))
                newNames = newNames.filter { offered.contains($0.key) }
            } catch let error as LeappError {
                failure = error
            }
        }
        let names = knownNames.merging(newNames) { _, new in new }
        let roles = parsed.map { offered, arn in
            DiscoveredRole(role: offered, account: arn.account, accountName: names[arn.account], name: arn.name, partition: arn.partition)
        }
        return Discovery(roles: roles, newNames: newNames, namesFailure: failure)
    }

    /// Posts the SAMLResponse to the partition's AWS sign-in page (never to the form's action,
    /// which the IdP chose) and reads the account names it shows.
    func accountNames(for form: SAMLResponseForm, partition: Partition, http: HTTPClient) throws -> [String: String] {
        let url = settings.signinURL ?? "https://\(partition.signinHost)/saml"
        guard let parsed = WebURL(url), parsed.isAllowedTransport else {
            throw LeappError(.saml, "the AWS sign-in page \(Validation.printable(url)) must be https (http only to loopback)")
        }
        log("reading account names from the AWS sign-in page at \(parsed.origin)")
        let response = try http.send(HTTPRequest.form(url, [("SAMLResponse", form.samlResponse)]))
        guard response.status == 200 else {
            throw LeappError(.saml, "the AWS sign-in page answered HTTP \(response.status)")
        }
        return try AWSSignInPage.accountNames(try parser.parseHTML(response.body))
    }
}
