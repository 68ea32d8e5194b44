// LeappCore uses Foundation's essentials only (JSON, Data, Date, URL).
#if canImport(FoundationEssentials)
    @_exported import FoundationEssentials
#else
    @_exported import Foundation
#endif
