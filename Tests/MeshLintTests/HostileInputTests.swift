import Foundation
import MeshDiagnostics
import MeshLint
import MeshTestSupport
import Testing

/// Malformed and hostile YAML: every case ends with a diagnostic and exit 1
/// or 2, within seconds and bounded memory; nothing crashes.
@Suite struct HostileInputTests {
    struct Case: CustomStringConvertible, Sendable {
        var name: String
        var code: String
        var make: @Sendable () -> Data
        var description: String { name }
    }

    static let cases: [Case] = [
        Case(name: "alias bomb", code: "MSH0003") {
            var text = "a0: &a0 [lol, lol, lol, lol, lol, lol, lol, lol, lol, lol]\n"
            for level in 1...9 { text += "a\(level): &a\(level) [" + Array(repeating: "*a\(level - 1)", count: 10).joined(separator: ", ") + "]\n" }
            return Data(text.utf8)
        },
        Case(name: "100k-deep flow nesting", code: "MSH0003") {
            Data((String(repeating: "[", count: 100_000) + String(repeating: "]", count: 100_000)).utf8)
        },
        Case(name: "100k-deep mapping nesting", code: "MSH0003") {
            Data((String(repeating: "{a: ", count: 100_000) + "1" + String(repeating: "}", count: 100_000)).utf8)
        },
        Case(name: "binary", code: "MSH0001") {
            var generator = SeededGenerator(seed: 7)
            return Data((0..<65536).map { _ in UInt8.random(in: 0...255, using: &generator) })
        },
        Case(name: "invalid UTF-8", code: "MSH0001") {
            Data("kind: Service\nmetadata:\n  name: ".utf8) + Data([0xC3, 0x28, 0xA0, 0xA1]) + Data("\n".utf8)
        },
        Case(name: "truncated document", code: "MSH0001") {
            Data("apiVersion: networking.istio.io/v1\nkind: VirtualService\nmetadata:\n  name: web\nspec:\n  hosts: [\"web.def".utf8)
        },
        Case(name: "tabs", code: "MSH0001") {
            Data("apiVersion: v1\nkind: Service\nmetadata:\n\tname: web\n".utf8)
        },
        Case(name: "duplicate keys", code: "MSH0002") {
            Data("apiVersion: v1\nkind: Namespace\nmetadata:\n  name: a\n  name: b\n".utf8)
        },
        Case(name: "wrong types", code: "IST0106") {
            Data("apiVersion: networking.istio.io/v1\nkind: VirtualService\nmetadata:\n  name: web\nspec:\n  hosts: 5\n  http: oops\n".utf8)
        },
        Case(name: "20 MB file of 300k documents", code: "MSH0003") {
            let doc = "---\napiVersion: v1\nkind: Namespace\nmetadata:\n  name: team-000000-padding-padding\n"
            return Data(String(repeating: doc, count: 300_000).utf8)
        },
        Case(name: "300k tiny documents", code: "MSH0003") {
            Data(String(repeating: "---\na: 1\n", count: 300_000).utf8)
        },
    ]

    @Test(arguments: cases)
    func endsWithADiagnosticQuicklyInBoundedMemory(_ hostile: Case) throws {
        let scratch = try Scratch()
        let file = try scratch.write("hostile.yaml", hostile.make())
        let run = try Tools.meshc(["lint", "--format", "json", file])
        #expect(run.status == 1 || run.status == 2, "exit \(run.status): \(run.stderr)")
        #expect(run.stdout.contains("\"code\" : \"\(hostile.code)\"") || run.stdout.contains("\"code\": \"\(hostile.code)\""),
                "\(hostile.name): \(run.stdout.prefix(600)) \(run.stderr)")
        #expect(run.seconds < 10, "\(hostile.name) took \(run.seconds) s")
        #expect(run.maxRSSKiB < 512 * 1024, "\(hostile.name) peaked at \(run.maxRSSKiB) KiB")
    }

    /// Property: random damage to a valid manifest never crashes the linter,
    /// always gives the same answer twice, and bytes that are not UTF-8
    /// always give MSH0001.
    @Test func randomDamageNeverCrashesAndIsDeterministic() throws {
        let seedText = Array((Manifests.service + "\n---\n" + Manifests.workload + "\n---\n" + Manifests.routeToMissingHost).utf8)
        var generator = SeededGenerator(seed: 42)
        let alphabet = Array("{}[]:-&*!|>'\"#%@`,? \n\t\u{0}".utf8) + [0xFF, 0xC3]
        for round in 0..<300 {
            var bytes = seedText
            switch round % 3 {
            case 0: bytes = Array(bytes.prefix(Int.random(in: 0..<bytes.count, using: &generator)))
            case 1:
                for _ in 0..<Int.random(in: 1...8, using: &generator) {
                    bytes[Int.random(in: 0..<bytes.count, using: &generator)] = alphabet.randomElement(using: &generator)!
                }
            default:
                for _ in 0..<Int.random(in: 1...8, using: &generator) {
                    bytes.insert(alphabet.randomElement(using: &generator)!, at: Int.random(in: 0...bytes.count, using: &generator))
                }
            }
            let first = try Linter.run(targets: [.bytes(bytes, name: "fuzz.yaml")])
            let second = try Linter.run(targets: [.bytes(bytes, name: "fuzz.yaml")])
            #expect(first.diagnostics == second.diagnostics, "round \(round) is not deterministic")
            if String(validating: bytes, as: UTF8.self) == nil {
                #expect(first.diagnostics.contains { $0.code == Codes.yamlSyntaxError }, "round \(round): invalid UTF-8 not reported")
            }
        }
    }
}
