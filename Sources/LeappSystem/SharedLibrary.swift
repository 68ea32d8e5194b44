import CLeappShims

/// A library the C seam opens with dlopen, and the sonames it tries, in order: the one list
/// in `leapp_libraries.h` that the loader and `make release` read too.
public enum SharedLibrary {
    case curl, xml, secret

    public var sonames: [String] {
        let which: Int32
        switch self {
        case .curl: which = Int32(LEAPP_LIBRARY_CURL)
        case .xml: which = Int32(LEAPP_LIBRARY_XML)
        case .secret: which = Int32(LEAPP_LIBRARY_SECRET)
        }
        guard var p = leapp_library_sonames(which) else { return [] }
        var names: [String] = []
        while let name = p.pointee {
            names.append(String(cString: name))
            p += 1
        }
        return names
    }
}
