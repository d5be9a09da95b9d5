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
}
