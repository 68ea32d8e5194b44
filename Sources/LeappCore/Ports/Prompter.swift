public protocol Prompter {
    /// Whether a person can answer (stdin and stderr are terminals and prompting is allowed).
    var isInteractive: Bool { get }
    func ask(_ question: String) throws -> String
    func askSecret(_ question: String) throws -> String
    func choose(_ question: String, options: [String]) throws -> Int
    /// A one-line notice on stderr.
    func notice(_ line: String)
    /// A progress line for a long wait, redrawn in place on a terminal (nil clears it);
    /// nothing at all when stderr is not a terminal.
    func progress(_ line: String?)
    /// A progress line shown only if the wait is still on after `seconds` (a slow IdP); the
    /// next `progress` call (nil after the wait) cancels or clears it.
    func progress(_ line: String, after seconds: Double)
    /// Shows `text` as a QR code where a terminal can (a phone opens it); nothing elsewhere.
    func showQRCode(_ text: String)
}

extension Prompter {
    public func progress(_ line: String?) {}
    public func progress(_ line: String, after seconds: Double) {}
    public func showQRCode(_ text: String) {}
}
