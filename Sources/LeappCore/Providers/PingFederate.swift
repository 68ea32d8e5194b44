/// PingFederate (and PingOne's PingFederate-hosted logins):
/// `https://HOST/idp/startSSO.ping?PartnerSpId=urn:amazon:webservices`.
///
/// The HTML Form Adapter's login page (`pf.username`, `pf.pass`, and the hidden `pf.ok` its
/// script sets to `clicked`), its `.ping-error` quoted when refused; the hand-off to PingID
/// (a hidden form with `ppm_request`, posted by script to the PingID host) and back
/// (`ppm_response`) are followed by the kit's auto-navigation; PingID's one-time passcode page
/// (`otp`) is answered with `--mfa-code` or a prompt. A PingID push or a device choice waits on
/// PingID's own scripts: browser login.
public struct PingFederate: PageDrivenProvider {
    static let errorXPath =
        "(//*[contains(@class,'ping-error') or contains(@class,'error-message') or @id='error-message' or @id='errorMessage'])[normalize-space(.) != '']"

    public init() {}

    public func next(after page: IdPPage, _ context: LoginContext) throws -> HTTPRequest {
        if var form = page.forms.first(where: { $0.has("pf.pass") }) {
            context.step = "login page"
            try context.submit([.username, .password], why: page.text(Self.errorXPath))
            form.set("pf.username", try context.requireUsername())
            form.set("pf.pass", try context.requirePassword())
            form.set("pf.ok", "clicked")  // what the page's postOk() sets before it submits
            form.set("pf.cancel", "")
            return form.request(from: page.url)
        }
        if var form = page.forms.first(where: { $0.action.contains("/pingid/") && $0.visibleInputs.contains { $0.name == "otp" } }) {
            context.step = "PingID passcode"
            try context.submit([.code], why: page.text(Self.errorXPath))
            form.set("otp", try context.requireCode("PingID passcode"))
            return form.request(from: page.url)
        }
        if page.url.contains("/pingid/") || page.forms.contains(where: { $0.action.contains("/pingid/") }) {
            context.step = "PingID"
            throw context.needsBrowser(
                "PingID waits for an approval on your device (or a device choice), which runs in PingID's own scripts")
        }
        if let error = page.text(Self.errorXPath) { throw context.failure(error) }
        throw context.unexpectedPage(page, expected: "the PingFederate login page (pf.username, pf.pass) or a PingID page")
    }
}
