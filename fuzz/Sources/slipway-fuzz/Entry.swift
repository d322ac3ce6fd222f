import CLibFuzzer
import Foundation

/// The target is picked by `SLIPWAY_FUZZ_TARGET` so that one instrumented build serves all.
nonisolated(unsafe) private var target: FuzzTarget?

/// A debug build of an executable target names its entry point `<module>_main` (so tests can link
/// it) and links `main` to that; here it hands over to libFuzzer's driver, as libFuzzer's own
/// `main` would.
@_cdecl("slipway_fuzz_main")
public func fuzzMain(_ argc: CInt, _ argv: UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>?) -> CInt {
    var argc = argc
    var argv = argv
    let name = ProcessInfo.processInfo.environment["SLIPWAY_FUZZ_TARGET"] ?? ""
    guard let chosen = FuzzTarget(rawValue: name) else {
        let names = FuzzTarget.allCases.map(\.rawValue).joined(separator: ", ")
        FileHandle.standardError.write(Data("SLIPWAY_FUZZ_TARGET must be one of: \(names)\n".utf8))
        return 2
    }
    target = chosen
    return LLVMFuzzerRunDriver(&argc, &argv, testOneInput)
}

@_cdecl("LLVMFuzzerTestOneInput")
public func testOneInput(_ bytes: UnsafePointer<UInt8>?, _ size: Int) -> CInt {
    guard let target else { return 0 }
    let data = size == 0 ? Data() : Data(bytes: bytes!, count: size)
    target.run(data)
    return 0
}
