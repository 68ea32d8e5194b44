import ArgumentParser
import LeappCore
import LeappSystem

/// How a login gets what it asks for without a prompt; shared by `session start` and `idp-url roles`.
struct LoginFlags: ParsableArguments {
    @Option(help: "Username at the IdP.") var username: String?
    @Flag(help: "Read the password from standard input (first line).") var passwordStdin = false
    @Option(help: "A one-time MFA code.") var mfaCode: String?
    @Option(help: "Which MFA factor to use (its name, type or id).") var mfaFactor: String?
    @Option(help: "Use a SAMLResponse captured in a browser: a file, or - for stdin.") var samlResponseFile: String?
    @Flag(help: "Keep the password in the keyring for later logins.") var rememberPassword = false
    @Flag(
        help: "Log in in a real browser (Chromium, Chrome, Edge or Brave): for passkeys, captchas, Duo and pages only a browser can answer."
    )
    var browser = false
    @Option(help: "How to log in this time (default: the IdP URL's method; paste when --saml-response-file is given).")
    var loginMethod: LoginMethodKind?

    /// Flags that ask for two things at once, refused before anything runs.
    func validate() throws {
        if browser, let other = loginMethod, other != .browser {
            throw ValidationError("--browser and --login-method \(other.rawValue) ask for two login methods")
        }
        if browser && samlResponseFile != nil {
            throw ValidationError("--browser and --saml-response-file ask for two login methods")
        }
        if loginMethod == .headless && samlResponseFile != nil {
            throw ValidationError("--saml-response-file goes with the paste login method, not headless")
        }
        if passwordStdin && samlResponseFile == "-" {
            throw ValidationError("--password-stdin and --saml-response-file - both want stdin")
        }
    }

    func options(_ context: AppContext, force: Bool) throws -> LoginOptions {
        var options = LoginOptions(
            username: username, mfaCode: mfaCode, mfaFactor: mfaFactor,
            rememberPassword: rememberPassword, force: force)
        options.method = browser ? .browser : loginMethod
        if passwordStdin {
            let text = try readAllStdin()
            options.password = String(text.split(separator: "\n", omittingEmptySubsequences: false).first ?? "")
        }
        if let file = samlResponseFile {
            if file == "-" {
                options.samlResponse = try readAllStdin()
            } else {
                guard let bytes = try context.fs.read(file) else { throw LeappError(.file, "no file \(file)") }
                options.samlResponse = String(decoding: bytes, as: UTF8.self)
            }
            options.force = true
        }
        return options
    }
}
