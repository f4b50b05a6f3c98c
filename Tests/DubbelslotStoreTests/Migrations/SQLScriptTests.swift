@testable import DubbelslotStore
import Testing

extension StoreTests {
    @Suite("Splitting migration files into statements")
    struct SQLScriptTests {
        @Test("splits on semicolons and drops empty statements and comments")
        func plain() {
            let script = """
                -- header comment; with a semicolon
                CREATE TABLE a (id int);

                /* block; comment */ CREATE TABLE b (id int);
                ;
                -- trailing comment
                """
            #expect(SQLScript.statements(in: script) == [
                "-- header comment; with a semicolon\nCREATE TABLE a (id int)",
                "/* block; comment */ CREATE TABLE b (id int)",
            ])
        }

        @Test("keeps semicolons inside quotes, identifiers and dollar quotes")
        func quoted() {
            let script = """
                INSERT INTO t VALUES ('a;b', 'it''s; fine', E'x\\';y');
                CREATE TABLE "odd;name" (id int);
                CREATE FUNCTION f() RETURNS int LANGUAGE sql AS $$ SELECT 1; $$;
                CREATE FUNCTION g() RETURNS int LANGUAGE plpgsql AS $body$ BEGIN RETURN 1; END; $body$;
                SELECT $1::int
                """
            let statements = SQLScript.statements(in: script)
            #expect(statements.count == 5)
            #expect(statements[0] == "INSERT INTO t VALUES ('a;b', 'it''s; fine', E'x\\';y')")
            #expect(statements[2].hasSuffix("$$ SELECT 1; $$"))
            #expect(statements[3].hasSuffix("$body$ BEGIN RETURN 1; END; $body$"))
            #expect(statements[4] == "SELECT $1::int")
        }

        @Test("nested block comments")
        func nestedComments() {
            #expect(SQLScript.statements(in: "/* a /* b; */ c; */ SELECT 1; SELECT 2") == ["/* a /* b; */ c; */ SELECT 1", "SELECT 2"])
        }

        @Test("only comments and whitespace yield no statements")
        func empty() {
            #expect(SQLScript.statements(in: "-- nothing\n/* here */\n ; \n").isEmpty)
        }
    }
}
