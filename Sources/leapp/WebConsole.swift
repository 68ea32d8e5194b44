import ArgumentParser
import LeappCore
import LeappSystem

#if canImport(Glibc)
    import Glibc
#endif

extension SessionCommand {
    struct OpenWebConsole: LeappCommand {
        static let configuration = CommandConfiguration(
            commandName: "open-web-console",
            abstract: "Open the AWS web console as the session's role (or print the sign-in URL).",
            discussion: """
                Each session's console opens in a browser profile of its own (a Chromium-family browser's --user-data-dir, \
                or Firefox's --profile, under leapp's data directory), so two accounts' consoles stay signed in side by side. \
                The browser gets a private (0600) redirect file, so the sign-in token never appears in a process's arguments.
                """)
        @Argument(
            help: "Alias, id or unique alias prefix (default: the directory's allowed .leapp-session, else $LEAPP_SESSION, else a menu).",
            completion: Completions.sessions)
        var session: String?
        @Flag(help: "Print the sign-in URL instead of opening it (it grants console access: keep it private).") var print = false
        @Flag(help: "Open in the desktop's default browser and profile (another account's console there is logged out).")
        var sameProfile = false
        @Option(help: "The console's region (default: the session's).", completion: Completions.regions) var region: String?
        @Option(help: "Land on this service's console page (s3, ec2, cloudwatch, iam...).") var service: String?
        @Option(help: "Land on this console URL (https, in the session's partition).") var destination: String?
        @OptionGroup var global: GlobalOptions

        func run(_ context: AppContext) throws {
            global.apply(to: context)
            let (s, credentials) = try context.sessionWithCredentials(session ?? context.defaultSession(for: "session open-web-console"))
            let role = try IAMARN(parsing: s.roleArn, expecting: .role)
            let signin = ConsoleSignIn(partition: role.partition, settings: context.settings)
            let http = try context.makeHTTP()
            let token = try signin.signinToken(from: http.send(signin.tokenRequest(credentials)))
            let region = self.region ?? s.region
            try Validation.checkRegion(region, partition: role.partition)
            if service != nil && destination != nil { throw LeappError(.usage, "--service and --destination both say where to land") }
            if let service, service.isEmpty || !service.allSatisfy({ $0.isASCII && ($0.isLetter || $0.isNumber || $0 == "-") }) {
                throw LeappError(.usage, "--service takes a console service name such as s3, ec2 or cloudwatch")
            }
            var landing = signin.destination(region: region, service: service)
            if let destination {
                guard let url = WebURL(destination), url.scheme == "https",
                    let console = WebURL(role.partition.consoleURL),
                    url.host == console.host || url.host.hasSuffix("." + console.host)
                else {
                    throw LeappError(
                        .usage, "--destination must be an https page of \(WebURL(role.partition.consoleURL)?.host ?? "the AWS console")",
                        hint: "for example \(signin.destination(region: region, service: "s3"))")
                }
                landing = destination
            }
            let url = signin.loginURL(token: token, region: region, destination: landing)
            if print {
                context.write(url + "\n")
                return
            }
            try open(url, for: s, context)
        }

        func open(_ url: String, for session: Session, _ context: AppContext) throws {
            let dir = (context.environment["XDG_RUNTIME_DIR"].flatMap { $0.hasPrefix("/") ? $0 : nil } ?? context.dataDirectory) + "/leapp"
            try context.fs.createDirectory(dir, mode: 0o700)
            removeStaleRedirects(in: dir, olderThan: 120)
            let file = dir + "/console-\(newID()).html"
            let escaped = url.replacing("&", with: "&amp;").replacing("\"", with: "&quot;")
            let page =
                "<!DOCTYPE html><meta charset=\"utf-8\"><meta http-equiv=\"refresh\" content=\"0;url=\(escaped)\"><title>AWS console</title>\n"
            try context.fs.writeAtomically(file, Array(page.utf8), mode: 0o600)
            do {
                if !sameProfile, let browser = ConsoleBrowser.find(context.environment) {
                    let profile = ConsoleProfile.directory(for: session, dataDirectory: context.dataDirectory)
                    try context.fs.createDirectory(context.dataDirectory + "/consoles", mode: 0o700)
                    try context.fs.createDirectory(profile, mode: 0o700)
                    try ConsoleBrowser.open(Self.fileURL(file), binary: browser, profile: profile)
                    context.note("leapp: opening the AWS console as \(session.alias) in its own browser profile (\(profile))")
                    return
                }
                try context.openURL(file)
            } catch {
                try? context.fs.remove(file)  // it holds a sign-in token
                throw error
            }
            context.note(
                sameProfile
                    ? "leapp: opening the AWS console as \(session.alias)"
                    : "leapp: opening the AWS console as \(session.alias) in the default browser: no Chromium-family browser or Firefox was found for a profile of its own"
            )
        }

        /// A file:// URL for a path of leapp's: each segment percent-encoded as a query component is.
        static func fileURL(_ path: String) -> String {
            "file://"
                + path.split(separator: "/", omittingEmptySubsequences: false).map { FormEncoding.escapeQuery(String($0)) }
                .joined(separator: "/")
        }

        /// The browser reads a redirect file soon after it opens; older ones hold expired
        /// tokens and are removed.
        func removeStaleRedirects(in dir: String, olderThan seconds: Int) {
            ProcessCalls.removeOldFiles(in: dir, olderThan: seconds) { $0.hasPrefix("console-") && $0.hasSuffix(".html") }
        }
    }
}
