import SlipwayCore
import Testing

/// `tok>>>en???value` encodes with `+` and `/` in standard base64, `-` and `_` in URL-safe base64.
@Suite struct SecretMaskerTests {
    static let secret = "tok>>>en???value"
    let masker = SecretMasker(environment: ["DEPLOY_TOKEN": SecretMaskerTests.secret], names: [])

    @Test func masksTheValueAsWritten() {
        #expect(masker.mask("token is tok>>>en???value.") == "token is ****.")
    }

    /// The values are looked for as bytes: at either end, alone, after a false start that shares
    /// their first bytes, among multi-byte characters; a non-ASCII value is found too.
    @Test func findsTheValueWhereverItStands() {
        #expect(masker.mask("tok>>>en???value") == "****")
        #expect(masker.mask("tok>>>en???value at the start") == "**** at the start")
        #expect(masker.mask("at the end tok>>>en???value") == "at the end ****")
        #expect(masker.mask("tok>>tok>>>en???value tok>>>en???valu") == "tok>>**** tok>>>en???valu")
        #expect(masker.mask("é→ tok>>>en???value ✓") == "é→ **** ✓")
        #expect(masker.mask("tok") == "tok")
        let accented = SecretMasker(values: ["pässwörd-42"])
        #expect(accented.mask("login with pässwörd-42 now") == "login with **** now")
    }

    @Test(arguments: [
        "dG9rPj4+ZW4/Pz92YWx1ZQ==",  // standard, padded
        "dG9rPj4+ZW4/Pz92YWx1ZQ",  // standard, unpadded
        "dG9rPj4-ZW4_Pz92YWx1ZQ==",  // URL-safe, padded
        "dG9rPj4-ZW4_Pz92YWx1ZQ",  // URL-safe, unpadded
    ])
    func masksTheValueInBase64(encoded: String) {
        #expect(masker.mask("echo \(encoded) | base64 -d") == "echo **** | base64 -d")
    }

    @Test func masksTheValueInsideALongerBase64String() {
        // base64("deploy:" + secret) and base64("x:" + secret): the value starts at the other two
        // positions of a 3-byte group; only the characters that carry nothing but the value go.
        #expect(masker.mask("Authorization: Basic ZGVwbG95OnRvaz4+PmVuPz8/dmFsdWU=")
            == "Authorization: Basic ZGVwbG95On****U=")
        #expect(masker.mask("Authorization: Basic eDp0b2s+Pj5lbj8/P3ZhbHVl") == "Authorization: Basic eDp****")
    }

    @Test(arguments: [
        "https://example.com/?token=tok%3E%3E%3Een%3F%3F%3Fvalue&x=1",  // upper-case escapes
        "https://example.com/?token=tok%3e%3e%3een%3f%3f%3fvalue&x=1",  // lower-case escapes
        "https://example.com/?token=%74%6F%6B%3E%3E%3E%65%6E%3F%3F%3F%76%61%6C%75%65&x=1",  // every byte escaped
    ])
    func masksTheValuePercentEncoded(url: String) {
        #expect(masker.mask(url) == "https://example.com/?token=****&x=1")
    }

    @Test func masksAFormEncodedSpaceWrittenAsPlus() {
        let masker = SecretMasker(values: ["p@ss/w0rd&x y"])
        #expect(masker.mask("body: password=p%40ss%2Fw0rd%26x+y") == "body: password=****")
        #expect(masker.mask("url: /login/p%40ss%2Fw0rd%26x%20y") == "url: /login/****")
    }

    @Test func leavesOtherTextAlone() {
        let text = "GET /a%20b?q=1+2 200 aGVsbG8= 50% done"
        #expect(masker.mask(text) == text)
    }

    @Test func shortValuesAreNotMaskedInAnyForm() {
        let masker = SecretMasker(values: ["no"])
        #expect(masker.mask("no bm8= n%6F") == "no bm8= n%6F")
    }
}
