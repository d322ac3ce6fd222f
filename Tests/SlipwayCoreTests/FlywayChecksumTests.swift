import SlipwayCore
import Testing

@Suite struct FlywayChecksumTests {
    /// CRC-32's published check value: CRC32("123456789") = 0xCBF43926, which Flyway stores as
    /// the signed int 0xCBF43926 - 2^32 = 3421780262 - 4294967296 = -873187034. Line ends and a
    /// leading byte-order mark are not fed to the CRC, so these all give the same value.
    @Test(arguments: ["123456789", "1234\n56789\n", "1234\r\n56789", "12345\r6789", "\u{FEFF}123456789", "\n\n123456789\n\n"])
    func theCheckValueWhateverTheLineEnds(text: String) {
        #expect(FlywayChecksum.of(text) == -873_187_034)
    }

    @Test func anEmptyFileIsZero() {
        #expect(FlywayChecksum.of("") == 0)
    }

    /// Values printed by Flyway's own algorithm (ChecksumCalculator's loop: BufferedReader.readLine,
    /// BOM filter, CRC32.update per line, cast to int) run in a JVM on the same texts.
    @Test func migrationTextsAsFlywayComputesThem() {
        #expect(FlywayChecksum.of("CREATE TABLE accounts (id bigint PRIMARY KEY, email text NOT NULL);\n") == 888_272_464)
        #expect(FlywayChecksum.of(
            "-- café\nALTER TABLE accounts ADD COLUMN name text;\r\n\r\nCREATE INDEX accounts_name ON accounts (name);\n") == 240_440_959)
    }

    @Test func anyOtherChangeChangesIt() {
        #expect(FlywayChecksum.of("SELECT 1;") != FlywayChecksum.of("SELECT 1 ;"))
        #expect(FlywayChecksum.of("select 1;") != FlywayChecksum.of("SELECT 1;"))
    }
}
