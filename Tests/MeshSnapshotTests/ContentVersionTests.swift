import MeshSnapshot
import Testing

/// Versions are SHA-256 (the first 128 bits in hex), whether the bytes come
/// whole or in pieces of any size.
@Suite struct ContentVersionTests {
    @Test func isTheStartOfSHA256() {
        // FIPS 180-2's test vectors.
        #expect(ContentVersion.hex("abc") == "ba7816bf8f01cfea414140de5dae2223")
        #expect(ContentVersion.hex("") == "e3b0c44298fc1c149afbf4c8996fb924")
    }

    @Test(arguments: [1, 7, 4096, 65_535, 65_536, 65_537, 200_000])
    func piecesHashAsTheWhole(piece: Int) {
        let whole = String((0..<300_000).map { Character(UnicodeScalar(UInt8(97 + $0 % 26))) })
        var hash = ContentVersion()
        var rest = Substring(whole)
        while !rest.isEmpty {
            hash.combine(String(rest.prefix(piece)))
            rest = rest.dropFirst(piece)
        }
        #expect(hash.hex == ContentVersion.hex(whole))
    }

    @Test func bytesAndTextMix() {
        var hash = ContentVersion()
        hash.combine("name")
        hash.combine(byte: UInt8(ascii: "="))
        hash.combine("v1")
        hash.combine(byte: UInt8(ascii: "\n"))
        #expect(hash.hex == ContentVersion.hex("name=v1\n"))
        // Reading the hex does not end the hash.
        hash.combine("more")
        #expect(hash.hex == ContentVersion.hex("name=v1\nmore"))
    }
}
