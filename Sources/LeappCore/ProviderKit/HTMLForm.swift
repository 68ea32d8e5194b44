/// A form on an IdP page, with the fields a browser would submit.
public struct HTMLForm: Sendable {
    public var id: String?
    public var action: String
    public var method: String
    public var fields: [(String, String)]
    /// Names of inputs of type password, text and email, in page order.
    public var visibleInputs: [(name: String, type: String, id: String?)]
    /// The form element's own attributes (`data-*` markers such as Google's `data-challengeentry`).
    public var attributes: [String: String] = [:]
    /// The form's text as a person reads it (a method chooser's label).
    public var text = ""

    public func value(_ name: String) -> String? { fields.first { $0.0 == name }?.1 }
    public func has(_ name: String) -> Bool { fields.contains { $0.0 == name } || visibleInputs.contains { $0.name == name } }

    public mutating func set(_ name: String, _ value: String) {
        if let i = fields.firstIndex(where: { $0.0 == name }) { fields[i].1 = value } else { fields.append((name, value)) }
    }

    /// The request a browser would send, resolved against the page URL.
    public func request(from pageURL: String) -> HTTPRequest {
        let target = WebURL(pageURL)?.resolve(action) ?? action
        if method.lowercased() == "get" {
            let query = FormEncoding.encode(fields)
            let base = target.split(separator: "?", maxSplits: 1).first.map(String.init) ?? target
            return HTTPRequest(method: "GET", url: query.isEmpty ? base : base + "?" + query)
        }
        return .form(target, fields)
    }

    /// Every form of a page, with hidden and preset inputs as a browser would submit them
    /// (checkboxes and radios only when checked), and the default submit button's name and
    /// value when it has a name: a browser sends the button the form is submitted with, and
    /// IdPs such as Auth0 (`action=default`) and Google (`<button name="action" value="1">`)
    /// read it.
    public static func all(in doc: MarkupDocument) throws -> [HTMLForm] {
        try doc.select("//form").map { form in
            var fields: [(String, String)] = []
            var visible: [(name: String, type: String, id: String?)] = []
            for input in try doc.select(".//input|.//textarea|.//select", in: form) {
                guard let name = input["name"], !name.isEmpty else { continue }
                let type = (input["type"] ?? (input.name == "input" ? "text" : input.name)).lowercased()
                switch type {
                case "submit", "button", "image", "reset", "file": continue
                case "checkbox", "radio":
                    if input["checked"] != nil { fields.append((name, input["value"] ?? "on")) }
                    continue
                case "select":
                    let chosen = try doc.first(".//option[@selected]", in: input) ?? doc.first(".//option", in: input)
                    if let chosen { fields.append((name, chosen["value"] ?? chosen.text.trimmed)) }
                    continue
                case "textarea":
                    fields.append((name, input.text))
                    continue
                case "text", "email", "password", "tel", "number":
                    visible.append((name, type, input["id"]))
                default: break
                }
                fields.append((name, input["value"] ?? ""))
            }
            let submit = try doc.first(
                "(.//button[not(@type) or translate(@type,'SUBMIT','submit')='submit']|.//input[translate(@type,'SUBMIT','submit')='submit'])[1]",
                in: form)
            if let submit, let name = submit["name"], !name.isEmpty, !fields.contains(where: { $0.0 == name }) {
                fields.append((name, submit["value"] ?? ""))
            }
            return HTMLForm(
                id: form["id"], action: form["action"] ?? "", method: form["method"] ?? "get",
                fields: fields, visibleInputs: visible, attributes: form.attributes,
                text: form.text.split(whereSeparator: \.isWhitespace).joined(separator: " "))
        }
    }
}
