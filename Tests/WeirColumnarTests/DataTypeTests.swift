import Testing
import WeirColumnar

@Suite struct DataTypeTests {
    /// Every atomic type string of spec/paimon-format.md section 2.3 parses and prints back as Paimon writes it.
    @Test(arguments: [
        ("BOOLEAN", "BOOLEAN"), ("TINYINT", "TINYINT"), ("SMALLINT", "SMALLINT"), ("INT", "INT"), ("INTEGER", "INT"),
        ("BIGINT NOT NULL", "BIGINT NOT NULL"), ("FLOAT", "FLOAT"), ("DOUBLE", "DOUBLE"),
        ("DECIMAL(10, 2)", "DECIMAL(10, 2)"), ("DECIMAL(38,18) NOT NULL", "DECIMAL(38, 18) NOT NULL"),
        ("NUMERIC(5, 1)", "DECIMAL(5, 1)"), ("DEC", "DECIMAL(10, 0)"), ("DECIMAL", "DECIMAL(10, 0)"),
        ("CHAR(5)", "CHAR(5)"), ("VARCHAR(20)", "VARCHAR(20)"), ("STRING", "STRING"),
        ("VARCHAR(2147483647)", "STRING"), ("BINARY(16)", "BINARY(16)"), ("VARBINARY(8)", "VARBINARY(8)"),
        ("BYTES", "BYTES"), ("DATE", "DATE"), ("TIME", "TIME(0)"), ("TIME(3)", "TIME(3)"),
        ("TIMESTAMP", "TIMESTAMP(6)"), ("TIMESTAMP(3)", "TIMESTAMP(3)"), ("TIMESTAMP(9) NOT NULL", "TIMESTAMP(9) NOT NULL"),
        ("TIMESTAMP(3) WITH LOCAL TIME ZONE", "TIMESTAMP(3) WITH LOCAL TIME ZONE"),
        ("TIMESTAMP_LTZ(6)", "TIMESTAMP(6) WITH LOCAL TIME ZONE"), ("  string  not null ", "STRING NOT NULL"),
    ])
    func parsesAndPrintsPaimonTypeStrings(_ text: String, _ printed: String) throws {
        let type = try DataType(parsing: text)
        #expect(type.description == printed)
        #expect(try DataType(parsing: printed) == type)
    }

    @Test(arguments: ["DECIMAL(39, 0)", "DECIMAL(5, 6)", "TIMESTAMP(10)", "VARCHAR(0)", "CHAR(-1)", "INT(3)",
                      "FOO", "DECIMAL(1, 2, 3)", "VARCHAR(x)", "DATE WITH LOCAL TIME ZONE", "TIMESTAMP(3",
                      String(repeating: "A", count: 300)])
    func rejectsBadTypeStrings(_ text: String) {
        #expect(throws: ColumnarError.self) { try DataType(parsing: text) }
    }

    @Test func compositeTypesDescribeThemselves() throws {
        let row = DataType(.row(fields: [
            DataField(id: 1, name: "a", type: DataType(.int, nullable: false)),
            DataField(id: 2, name: "tags", type: DataType(.array(element: .string))),
            DataField(id: 3, name: "m", type: DataType(.map(key: DataType.string.nullable(false), value: DataType(.double)))),
        ]))
        #expect(row.description == "ROW<a INT NOT NULL, tags ARRAY<STRING>, m MAP<STRING NOT NULL, DOUBLE>>")
        try row.validate(context: "t")
        let duplicate = DataType(.row(fields: [DataField(id: 1, name: "a", type: .string), DataField(id: 2, name: "a", type: .string)]))
        #expect(throws: ColumnarError.self) { try duplicate.validate(context: "t") }
    }
}
