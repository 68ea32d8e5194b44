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

    func options(_ context: AppContext, force: Bool) throws -> LoginOptions {
        var options = LoginOptions(
            username: username, mfaCode: mfaCode, mfaFactor: mfaFactor,
            rememberPassword: rememberPassword, force: force)
        options.method = loginMethod
        if browser {
            if let other = loginMethod, other != .browser {
                throw LeappError(.usage, "--browser and --login-method \(other.rawValue) ask for two login methods")
            }
            if samlResponseFile != nil {
                throw LeappError(.usage, "--browser and --saml-response-file ask for two login methods")
            }
            options.method = .browser
        }
        if loginMethod == .headless && samlResponseFile != nil {
            throw LeappError(.usage, "--saml-response-file goes with the paste login method, not headless")
        }
        if passwordStdin && samlResponseFile == "-" {
            throw LeappError(.usage, "--password-stdin and --saml-response-file - both want stdin")
        }
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
