/// What a browser does on a page by itself, with no person: the moves every IdP's transit pages
/// rely on, done for every provider by the page driver (never by one provider alone).
/// - A page whose only form holds hidden inputs only (a submit button inside `<noscript>` at
///   most) and whose script submits it (`document.forms[0].submit()`, `form.submit()`, an
///   `onload` that does): the form is submitted, with its own action and method. Shibboleth's
///   "Loading Session Information", Azure AD's `hiddenform` after "Stay signed in?", the
///   PingFederate hand-off to PingID, WS-Federation `wresult` pages.
/// - `<meta http-equiv="refresh" content="0;url=...">` (a delay of 5 s at most) and a script's
///   `window.location = '...'`, `.href = '...'`, `location.replace('...')`: the URL is opened.
///
/// Only on transit pages: a page with a field a person fills in (text, password) is the
/// provider's to answer, and a script redirect there (a cancel handler) is never followed. The
/// targets go through the same transport rules as HTTP redirects (http or https only, plain
/// http only on loopback), and the driver stops a loop (the same request twice) by name.
public enum AutoNavigation {
    /// The request a browser would make by itself from this page, or nil.
    public static func request(from page: IdPPage) -> HTTPRequest? {
        guard page.forms.allSatisfy({ $0.visibleInputs.isEmpty }), !asksForASecurityKey(page) else { return nil }
        if page.forms.count == 1, let form = page.forms.first, !form.fields.isEmpty, submitsItself(page) {
            return form.request(from: page.url)
        }
        if let target = PageRedirect.target(in: page), WebURL(target) != nil {
            return HTTPRequest(url: target)
        }
        return nil
    }

    /// Whether the page submits its form without a person: a script or an `onload` calling
    /// `submit()`, or a `<noscript>` submit button (the page's fallback for a browser without
    /// scripts, which a browser with scripts never needs).
    static func submitsItself(_ page: IdPPage) -> Bool {
        let scripts = ((try? page.document.select("//script[not(@src)]")) ?? []).map(\.text)
        let onload = ((try? page.document.select("//*[@onload]")) ?? []).compactMap { $0["onload"] }
        if (scripts + onload).contains(where: { $0.contains(".submit()") || $0.contains(".submit();") }) { return true }
        let fallback = (try? page.document.first("//noscript//input[translate(@type,'SUBMIT','submit')='submit']|//noscript//button"))
        return fallback != nil
    }

    /// A WebAuthn page submits its hidden form only after a person touches a security key:
    /// never a transit page (the provider says what it needs).
    static func asksForASecurityKey(_ page: IdPPage) -> Bool {
        let scripts = ((try? page.document.select("//script[not(@src)]")) ?? []).map(\.text)
        if scripts.contains(where: { $0.contains("navigator.credentials") || $0.contains("PublicKeyCredential") }) { return true }
        return page.forms.contains { form in
            ["clientDataJSON", "authenticatorData", "signature", "publicKeyCredentialId"].contains(where: form.has)
        }
    }

    /// A name for the request in a loop message (origin and path, no query: it may carry tokens).
    static func place(_ request: HTTPRequest) -> String {
        guard let url = WebURL(request.url) else { return "?" }
        return url.origin + Validation.printable(String(url.pathAndQuery.split(separator: "?", maxSplits: 1).first ?? ""), limit: 100)
    }
}
