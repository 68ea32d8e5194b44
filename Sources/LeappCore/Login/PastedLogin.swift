/// A SAMLResponse the person pasted: no IdP is contacted.
public struct PastedLogin: LoginMethod {
    public init() {}

    public func samlResponse(at idp: IdPURL, _ login: LoginRequest) throws -> SAMLResponseForm {
        guard let pasted = login.options.samlResponse else {
            throw LeappError(
                .usage, "\(idp.name) logs in with a pasted SAMLResponse, and none was given",
                hint: "capture it in a browser (the POST to the AWS sign-in page) and pass --saml-response-file FILE (or - for stdin)")
        }
        return SAMLResponseForm(samlResponse: try PastedResponse.normalize(pasted), action: "", partition: login.partition)
    }
}
