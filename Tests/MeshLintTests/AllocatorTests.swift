import Foundation
import MeshTestSupport
import Testing

/// meshc runs on mimalloc (Package.swift links Debian's libmimalloc ahead of
/// glibc): the dynamic linker must bind every library's `malloc` and `free`
/// to it, or a link-order change would quietly bring back glibc's allocator
/// (a lint at 10,000 services 8–10% slower, BENCHMARKS.md issue 15 session 19).
@Suite struct AllocatorTests {
    @Test func mallocAndFreeBindToMimalloc() throws {
        #if os(Linux)
        // glibc's loader prints each symbol binding on standard error under LD_DEBUG=bindings.
        let run = try Tools.meshc(["--version"], environment: ["LD_DEBUG": "bindings"])
        #expect(run.status == 0, "\(run.stderr.suffix(2000))")
        for symbol in ["malloc", "free"] {
            let bindings = run.stderr.split(separator: "\n").filter { $0.hasSuffix("symbol `\(symbol)' [GLIBC_2.2.5]") }
            #expect(!bindings.isEmpty, "the loader reported no binding of \(symbol)")
            let elsewhere = bindings.filter { $0.components(separatedBy: " to ").last?.contains("/libmimalloc.so") != true }
            #expect(elsewhere.isEmpty, "\(symbol) bound outside mimalloc:\n\(elsewhere.prefix(5).joined(separator: "\n"))")
        }
        #endif
    }
}
