import LeappCore

#if canImport(Glibc)
    import Glibc
#endif

/// A small HTTP/1.1 server for the credential endpoint, on a loopback address or a Unix
/// socket (mode 0600), never anything else (`EndpointAddress`). One request per connection,
/// each on a thread of its own; a request must arrive whole within 5 seconds and in 16 KiB.
public final class LoopbackServer: @unchecked Sendable {
    let fd: Int32
    /// The port bound (0 for a Unix socket).
    public let port: Int
    let socketPath: String?

    public init(_ address: EndpointAddress) throws {
        switch address {
        case .tcp(let host, let port):
            let v6 = host.contains(":")
            let fd = socket(v6 ? AF_INET6 : AF_INET, Int32(SOCK_STREAM.rawValue) | Int32(SOCK_CLOEXEC.rawValue), 0)
            guard fd >= 0 else { throw Self.failure("cannot make a socket", errno) }
            var yes: Int32 = 1
            setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &yes, socklen_t(MemoryLayout<Int32>.size))
            var rc: Int32
            if v6 {
                var sa = sockaddr_in6()
                sa.sin6_family = sa_family_t(AF_INET6)
                sa.sin6_port = in_port_t(UInt16(port).bigEndian)
                inet_pton(AF_INET6, host, &sa.sin6_addr)
                rc = Self.bind(fd, &sa)
            } else {
                var sa = sockaddr_in()
                sa.sin_family = sa_family_t(AF_INET)
                sa.sin_port = in_port_t(UInt16(port).bigEndian)
                inet_pton(AF_INET, host, &sa.sin_addr)
                rc = Self.bind(fd, &sa)
            }
            guard rc == 0, listen(fd, 64) == 0 else {
                let code = errno
                close(fd)
                throw Self.failure("cannot listen on \(host):\(port)", code, hint: code == EADDRINUSE ? "choose another port" : nil)
            }
            var bound = sockaddr_storage()
            var length = socklen_t(MemoryLayout<sockaddr_storage>.size)
            _ = withUnsafeMutablePointer(to: &bound) {
                getsockname(fd, UnsafeMutableRawPointer($0).assumingMemoryBound(to: sockaddr.self), &length)
            }
            let boundPort = withUnsafePointer(to: &bound) { p -> UInt16 in
                v6
                    ? UnsafeRawPointer(p).assumingMemoryBound(to: sockaddr_in6.self).pointee.sin6_port
                    : UnsafeRawPointer(p).assumingMemoryBound(to: sockaddr_in.self).pointee.sin_port
            }
            self.fd = fd
            self.port = Int(UInt16(bigEndian: boundPort))
            self.socketPath = nil
        case .unix(let path):
            var st = stat()
            guard lstat(path, &st) != 0 else {
                throw LeappError(.file, "\(Validation.printable(path)) already exists", hint: "remove it, or choose another --socket path")
            }
            let fd = socket(AF_UNIX, Int32(SOCK_STREAM.rawValue) | Int32(SOCK_CLOEXEC.rawValue), 0)
            guard fd >= 0 else { throw Self.failure("cannot make a socket", errno) }
            var sa = sockaddr_un()
            sa.sun_family = sa_family_t(AF_UNIX)
            withUnsafeMutableBytes(of: &sa.sun_path) { raw in
                for (i, byte) in path.utf8.enumerated() { raw[i] = byte }
            }
            // Made 0600 from the start: no moment where another user could connect.
            let mask = umask(0o177)
            let rc = Self.bind(fd, &sa)
            umask(mask)
            guard rc == 0, listen(fd, 64) == 0 else {
                let code = errno
                close(fd)
                throw Self.failure("cannot listen on \(Validation.printable(path))", code)
            }
            self.fd = fd
            self.port = 0
            self.socketPath = path
        }
    }

    /// bind(2) with any sockaddr_* structure.
    static func bind<Address>(_ fd: Int32, _ address: inout Address) -> Int32 {
        withUnsafePointer(to: &address) {
            Glibc.bind(fd, UnsafeRawPointer($0).assumingMemoryBound(to: sockaddr.self), socklen_t(MemoryLayout<Address>.size))
        }
    }

    static func failure(_ what: String, _ code: Int32, hint: String? = nil) -> LeappError {
        LeappError(.config, "\(what): \(String(cString: strerror(code)))", hint: hint)
    }

    /// Removes the Unix socket (call before exiting).
    public func removeSocket() {
        if let socketPath { unlink(socketPath) }
    }

    /// Accepts connections forever on the calling thread; each is answered on a thread of its own.
    public func serve(_ handle: @escaping @Sendable (CredentialEndpoint.Request) -> CredentialEndpoint.Response) -> Never {
        while true {
            let client = retryingEINTR { accept(fd, nil, nil) }
            guard client >= 0 else {
                // Out of descriptors or memory for a moment: wait, and go on serving.
                usleep(50_000)
                continue
            }
            _ = fcntl(client, F_SETFD, FD_CLOEXEC)  // never inherited by the command leapp runs
            do {
                try detachThread { Self.answer(client, handle) }
            } catch {
                Self.answer(client, handle)
            }
        }
    }

    static func answer(_ client: Int32, _ handle: (CredentialEndpoint.Request) -> CredentialEndpoint.Response) {
        defer { close(client) }
        var deadline = timeval(tv_sec: 5, tv_usec: 0)
        setsockopt(client, SOL_SOCKET, SO_RCVTIMEO, &deadline, socklen_t(MemoryLayout<timeval>.size))
        setsockopt(client, SOL_SOCKET, SO_SNDTIMEO, &deadline, socklen_t(MemoryLayout<timeval>.size))
        var bytes: [UInt8] = []
        var buffer = [UInt8](repeating: 0, count: 4096)
        let end: [UInt8] = Array("\r\n\r\n".utf8)
        while bytes.count < 16384 {
            let n = buffer.withUnsafeMutableBytes { raw in retryingEINTR { recv(client, raw.baseAddress, raw.count, 0) } }
            guard n > 0 else { return }
            bytes += buffer[0..<n]
            if bytes.firstRange(of: end) != nil { break }
        }
        let response: CredentialEndpoint.Response
        if let request = parse(bytes) {
            response = handle(request)
        } else {
            response = CredentialEndpoint.Response(status: 400, body: #"{"code":"BadRequest","message":"not an HTTP request"}"#)
        }
        let head =
            "HTTP/1.1 \(response.status) \(response.reason)\r\nContent-Type: application/json\r\nContent-Length: \(response.body.utf8.count)\r\nCache-Control: no-store\r\nConnection: close\r\n\r\n"
        let out = Array((head + response.body).utf8)
        _ = out.withUnsafeBytes { writeAll(client, $0) }
    }

    /// The request line and the Authorization header of a request head.
    static func parse(_ bytes: [UInt8]) -> CredentialEndpoint.Request? {
        let text = String(decoding: bytes, as: UTF8.self)
        let lines = text.split(separator: "\r\n", omittingEmptySubsequences: false)
        let first = lines.first?.split(separator: " ") ?? []
        guard first.count == 3, first[2].hasPrefix("HTTP/1.") else { return nil }
        var authorization: String?
        for line in lines.dropFirst() {
            if line.isEmpty { break }
            guard let colon = line.firstIndex(of: ":") else { continue }
            if line[..<colon].lowercased() == "authorization" {
                authorization = String(line[line.index(after: colon)...]).trimmed
            }
        }
        return CredentialEndpoint.Request(method: String(first[0]), path: String(first[1]), authorization: authorization)
    }
}
