@testable import MeshCompile
import MeshValidate
import Testing

/// The text readers of the compiler's hot paths: IP literals told from
/// names (`Names.isIPAddress`, as validation tells them), and retry
/// conditions read by bytes answering as by characters.
@Suite struct LoweringTextTests {
    @Test(arguments: [
        ("10.0.0.1", true), ("127.0.0.1", true), ("256.0.0.1", false), ("10.0.0", false), ("10.0.0.1.2", false),
        ("10..0.1", false), ("::1", true), ("fe80::1:AbCd", true), ("2001:db8::10.0.0.1", true), ("[::1]", false),
        ("svc.default.svc.cluster.local", false), ("", false), ("db:5432x", false), ("fe80::\u{FF11}", false), ("1０.0.0.1", false),
    ])
    func ipAddressesAreToldFromNames(address: String, isIP: Bool) {
        #expect(Names.isIPAddress(address) == isIP, "\(address)")
    }

    @Test(arguments: [
        ("connect-failure", "connect-failure"), (" 5xx ", "5xx"), ("gateway-error\t", "gateway-error"), ("re set", "reset"),
        ("\u{00A0}reset\u{2003}", "reset"), ("", ""),
    ])
    func retryConditionsLoseTheirWhiteSpace(text: String, expected: String) {
        #expect(RouteLowering.withoutWhitespace(Substring(text).utf8) == expected)
        #expect(RouteLowering.withoutWhitespace(Substring(text).utf8) == String(text).filter { !$0.isWhitespace })
    }

    /// A `retryOn` the fast path takes as it is reads the same through the
    /// full reading: every string of a small alphabet up to five bytes, and
    /// the texts meshes write.
    @Test func aPlainConditionListReadsAsItIs() {
        let alphabet: [Character] = ["a", "x", "5", "0", "-", ",", " ", "A"]
        var texts = ["connect-failure,refused-stream,unavailable,cancelled,retriable-status-codes", "5xx,connect-failure", "gateway-error"]
        var layer = [""]
        for _ in 1...5 {
            layer = layer.flatMap { prefix in alphabet.map { prefix + String($0) } }
            texts += layer
        }
        var plain = 0
        for text in texts where RouteLowering.isPlainConditionList(text) {
            plain += 1
            let read = RouteLowering.retryConditions(text)
            #expect(read.retryOn == text && read.codes.isEmpty, "\(text) reads as \(read)")
        }
        #expect(plain > 1_000, "the fast path takes lists of conditions")
    }

    @Test(arguments: [
        ("5xx, 503,gateway-error", "5xx,gateway-error,retriable-status-codes", [503]), ("503", "retriable-status-codes", [503]),
        ("-1", "retriable-status-codes", [-1]), ("a,,b", "a,b", []), ("Connect-Failure", "Connect-Failure", []), ("", "", []),
        ("retriable-status-codes,502,502", "retriable-status-codes", [502]),
    ])
    func retryConditionsAreReadAsEnvoyTakesThem(text: String, retryOn: String, codes: [Int]) {
        #expect(!RouteLowering.isPlainConditionList(text))
        let read = RouteLowering.retryConditions(text)
        #expect(read.retryOn == retryOn && read.codes == codes, "\(read)")
    }
}
