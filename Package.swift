// swift-tools-version:6.0
import PackageDescription

// CLeappShims opens libcurl, libxml2 and libsecret with dlopen on first use, so commands
// that need neither network nor keyring do not pay for loading them (about 6 ms a run).
// SwiftPM still adds their pkg-config -l flags ahead of any --as-needed we could pass, so
// `make release` drops those DT_NEEDED entries with patchelf; nothing references them.

let package = Package(
    name: "leapp",
    products: [
        .executable(name: "leapp", targets: ["leapp"])
    ],
    dependencies: [
        .package(url: "https://github.com/apple/swift-argument-parser", from: "1.5.0"),
        .package(url: "https://github.com/apple/swift-crypto", from: "4.5.2"),
    ],
    targets: [
        // System libraries: headers and link flags only.
        .systemLibrary(
            name: "CCurl", pkgConfig: "libcurl",
            providers: [.apt(["libcurl4-openssl-dev"])]),
        .systemLibrary(
            name: "CLibXML2", pkgConfig: "libxml-2.0",
            providers: [.apt(["libxml2-dev"])]),
        .systemLibrary(
            name: "CLibSecret", pkgConfig: "libsecret-1",
            providers: [.apt(["libsecret-1-dev"])]),
        // The one C shim: what Swift cannot call directly.
        .target(name: "CLeappShims", dependencies: ["CCurl", "CLibXML2", "CLibSecret"]),
        // Domain and federation logic. No C import: hashes and ciphers come from swift-crypto.
        .target(
            name: "LeappCore",
            dependencies: [
                .product(name: "Crypto", package: "swift-crypto"),
                .product(name: "_CryptoExtras", package: "swift-crypto"),
            ]),
        // Adapters: libcurl, libxml2, libsecret, files, terminal.
        .target(name: "LeappSystem", dependencies: ["LeappCore", "CLeappShims"]),
        // The shell hooks are compiled in (`leapp hook SHELL` prints them); shell/ links to them.
        .executableTarget(
            name: "leapp",
            dependencies: [
                "LeappCore", "LeappSystem",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
            ],
            resources: [.embedInCode("Hooks/leapp.bash"), .embedInCode("Hooks/leapp.zsh"), .embedInCode("Hooks/leapp.fish")]),
        .testTarget(
            name: "LeappCoreTests",
            dependencies: [
                "LeappCore", .product(name: "Crypto", package: "swift-crypto"),
                .product(name: "_CryptoExtras", package: "swift-crypto"),
            ]),
        // Fixtures/ holds replayed pages as files; the tests read them from the source tree.
        .testTarget(name: "LeappSystemTests", dependencies: ["LeappSystem", "LeappCore"], exclude: ["Fixtures"]),
        // The executable's own tests: how command lines become commands.
        .testTarget(name: "LeappCLITests", dependencies: ["leapp"]),
    ],
    swiftLanguageModes: [.v6]
)
