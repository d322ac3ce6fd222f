import SlipwayCore
import Testing

@Suite struct SQLTokenizerTests {
    func kinds(_ text: String) -> [SQLToken.Kind] { SQLTokenizer.tokens(in: text).map(\.kind) }
    func texts(_ text: String) -> [String] { SQLTokenizer.tokens(in: text).map { String($0.text) } }

    @Test func blockCommentsNest() {
        let tokens = SQLTokenizer.tokens(in: "/* a /* b; */ still; comment */ SELECT 1")
        #expect(tokens.map(\.kind) == [.blockComment, .word, .number])
        #expect(tokens[0].text == "/* a /* b; */ still; comment */")
    }

    @Test func lineCommentsRunToTheEndOfTheLine() {
        #expect(texts("SELECT 1 -- ; not a split\n;") == ["SELECT", "1", "-- ; not a split", ";"])
    }

    @Test func quotedIdentifiersDoubleTheirQuotes() {
        let tokens = SQLTokenizer.tokens(in: #"SELECT "a""b;c" FROM "Accounts""#)
        #expect(tokens.map(\.kind) == [.word, .quotedIdentifier, .word, .quotedIdentifier])
        #expect(tokens[1].identifier == #"a"b;c"#)
        #expect(tokens[3].identifier == "Accounts")
        #expect(tokens[2].identifier == "from")
    }

    @Test func standardStringsTakeBackslashesLiterallyAndEStringsEscape() {
        // In a standard string the backslash is a plain character: the string ends at the second quote.
        #expect(texts(#"SELECT 'a\'; SELECT 'it''s'"#) == ["SELECT", #"'a\'"#, ";", "SELECT", "'it''s'"])
        // In E'' the backslash escapes the quote, so the `;` is inside the string.
        #expect(texts(#"SELECT E'a\'; b', e'\\'"#) == ["SELECT", #"E'a\'; b'"#, ",", #"e'\\'"#])
        #expect(kinds(#"SELECT B'101', X'1F', N'x', U&'d\0061t'"#) == [.word, .string, .punctuation, .string, .punctuation, .string, .punctuation, .string])
        // A word ending in e is not an E string.
        #expect(texts("SELECT type'x'") == ["SELECT", "type", "'x'"])
    }

    @Test func dollarQuotedBodiesWithTags() {
        let text = "CREATE FUNCTION f() RETURNS int AS $fn$ SELECT $$;$$; $x$ $fn$ LANGUAGE sql; SELECT $1, a$b"
        let tokens = SQLTokenizer.tokens(in: text)
        let body = tokens.first { $0.kind == .dollarString }
        #expect(body?.text == "$fn$ SELECT $$;$$; $x$ $fn$")
        #expect(body?.dollarBody?.text == " SELECT $$;$$; $x$ ")
        #expect(tokens.contains { $0.kind == .parameter && $0.text == "$1" })
        #expect(tokens.last?.text == "a$b")
        #expect(tokens.last?.kind == .word)
    }

    @Test func placesAreLinesAndCharacterColumns() {
        let tokens = SQLTokenizer.tokens(in: "SELECT 'é',\n  \"ü\" , x\r\n\tFROM t")
        let places = tokens.map { "\($0.text)@\($0.line):\($0.column)" }
        #expect(places == ["SELECT@1:1", "'é'@1:8", ",@1:11", "\"ü\"@2:3", ",@2:7", "x@2:9", "FROM@3:2", "t@3:7"])
    }

    @Test func operatorsStopBeforeAComment() {
        #expect(texts("SELECT 1+--c\n2, a||b, x::int, 3.5e-2, .5") ==
            ["SELECT", "1", "+", "--c", "2", ",", "a", "||", "b", ",", "x", "::", "int", ",", "3.5e-2", ",", ".5"])
    }

    @Test func unterminatedConstructsAreMarked() {
        for text in ["SELECT 'open", "SELECT \"open", "SELECT $$ open", "/* open /* */", "SELECT E'\\'"] {
            #expect(SQLTokenizer.tokens(in: text).last?.isTerminated == false, "\(text)")
        }
        #expect(SQLTokenizer.tokens(in: "SELECT 'closed'").allSatisfy { $0.isTerminated })
    }

    @Test func aByteOrderMarkIsSkipped() {
        let tokens = SQLTokenizer.tokens(in: "\u{FEFF}SELECT 1")
        #expect(tokens.first?.text == "SELECT")
        #expect(tokens.first?.column == 1)
    }

    // MARK: Statements

    @Test func statementsSplitOnlyAtRealSemicolons() {
        let script = """
            -- header; comment
            CREATE TABLE "a;b" (note text DEFAULT ';');
            /* ; */ INSERT INTO t VALUES (E'\\';', $$;$$);
            CREATE FUNCTION f() RETURNS void LANGUAGE plpgsql AS $body$
            BEGIN
              UPDATE t SET x = 1; -- inside the body
            END;
            $body$;
            DO $$ BEGIN PERFORM 1; END $$;
            SELECT 1
            """
        let statements = SQLStatement.split(script)
        #expect(statements.count == 5)
        #expect(statements.map(\.line) == [2, 3, 4, 9, 10])
        #expect(statements[0].sql == #"CREATE TABLE "a;b" (note text DEFAULT ';')"#)
        #expect(statements[0].comments.map(\.text) == ["-- header; comment"])
        #expect(statements[1].column == 9)
        #expect(statements[4].sql == "SELECT 1")
    }

    @Test func sqlStandardFunctionBodiesKeepTheirSemicolons() {
        let script = """
            CREATE OR REPLACE FUNCTION grade(score int) RETURNS text LANGUAGE sql
            BEGIN ATOMIC
              SELECT CASE WHEN score > 5 THEN 'high' ELSE 'low' END;
              SELECT 'again';
            END;
            CREATE TABLE after_it (id int);
            """
        let statements = SQLStatement.split(script)
        #expect(statements.count == 2)
        #expect(statements[0].sql.hasSuffix("END"))
        #expect(statements[1].sql == "CREATE TABLE after_it (id int)")
    }

    @Test func aCommentAfterTheSemicolonOnItsLineBelongsToThatStatement() {
        let statements = SQLStatement.split("DROP TABLE a; -- slipway:allow drop-table: gone\n-- about b\nDROP TABLE b;\n-- trailing only")
        #expect(statements.count == 2)
        #expect(statements[0].comments.map(\.text) == ["-- slipway:allow drop-table: gone"])
        #expect(statements[1].comments.map(\.text) == ["-- about b"])
    }

    @Test func statementsThatCannotRunInATransaction() {
        let yes = [
            "CREATE INDEX CONCURRENTLY i ON t (a)", "create unique index concurrently i on t (a)",
            "DROP INDEX CONCURRENTLY i", "REINDEX TABLE CONCURRENTLY t", "VACUUM t", "CREATE DATABASE d",
        ]
        let no = ["CREATE INDEX i ON t (a)", "SELECT 'CREATE INDEX CONCURRENTLY'", "-- VACUUM\nSELECT 1"]
        for text in yes { #expect(SQLStatement.split(text)[0].cannotRunInTransaction, "\(text)") }
        for text in no { #expect(!SQLStatement.split(text)[0].cannotRunInTransaction, "\(text)") }
    }
}
