import Testing
import WeirColumnar
import WeirPaimon

@Suite struct PartitionPathTests {
    @Test func escapingFollowsJavasCharacterTable() throws {
        let cases: [(String, String)] = [
            ("2024-01-01", "2024-01-01"), ("a b", "a b"), ("a/b", "a%2Fb"), ("k=v", "k%3Dv"), ("100%", "100%25"),
            ("héllo wörld 😀", "héllo wörld 😀"), ("line\nbreak\t", "line%0Abreak%09"), ("\u{01}\u{1F}\u{7F}", "%01%1F%7F"),
            ("\"#%'*/:=?\\{}[]^", "%22%23%25%27%2A%2F%3A%3D%3F%5C%7B%7D%5B%5D%5E"), ("a~b!c@d$e&f(g)h+i,j;k<l>m|n`o", "a~b!c@d$e&f(g)h+i,j;k<l>m|n`o"),
        ]
        for (raw, escaped) in cases {
            #expect(try PartitionPathUtils.escapePathName(raw) == escaped, "\(raw)")
            #expect(PartitionPathUtils.unescapePathName(escaped) == raw, "\(escaped)")
        }
        #expect(paimonError { _ = try PartitionPathUtils.escapePathName("") } != nil)
        // Java's unescape: only %XX (or %+X) is decoded; anything else stays.
        #expect(PartitionPathUtils.unescapePathName("%zz%4") == "%zz%4")
        #expect(PartitionPathUtils.unescapePathName("%+F!") == "\u{0F}!")
        #expect(PartitionPathUtils.unescapePathName("%41%42") == "AB")
        #expect(PartitionPathUtils.unescapePathName("%C3%A9") == "\u{C3}\u{A9}", "not a URL decoder")
    }

    @Test func pathsAndSpecs() throws {
        let path = try PartitionPathUtils.generatePartitionPath([("dt", "2024-01-01"), ("region", "eu/west"), ("k=1", "%")])
        #expect(path == "dt=2024-01-01/region=eu%2Fwest/k%3D1=%25/")
        #expect(try PartitionPathUtils.generatePartitionPath([]) == "")
        let spec = PartitionPathUtils.extractPartitionSpecFromPath("warehouse/db.db/t/" + path + "bucket-3/data-x.parquet")
        #expect(spec.map(\.key) == ["dt", "region", "k=1"])
        #expect(spec.map(\.value) == ["2024-01-01", "eu/west", "%"])
        let repeated = PartitionPathUtils.extractPartitionSpecFromPath("a=1/b=2/a=3")
        #expect(repeated.map(\.key) == ["a", "b"] && repeated.map(\.value) == ["3", "2"])
    }

    @Test func legacyValueTextsMatchJava() throws {
        // Expected texts printed by OpenJDK 17 (LocalDateTime#toString, Double/Float#toString,
        // BigDecimal#toPlainString) in a one-off Java program.
        let cases: [(DataType, Value, String)] = [
            (.string, .string("2024-01-01"), "2024-01-01"),
            (DataType(.int), .integer(-42), "-42"),
            (DataType(.bigint), .integer(Int64.max), "9223372036854775807"),
            (DataType(.boolean), .boolean(true), "true"),
            (DataType(.date), .date(days: 19723), "19723"),
            (DataType(.time(precision: 3)), .time(millis: 3_723_004), "3723004"),
            (DataType(.timestamp(precision: 3)), .timestamp(0), "1970-01-01T00:00"),
            (DataType(.timestamp(precision: 3)), .timestamp(1_704_070_923_456), "2024-01-01T01:02:03.456"),
            (DataType(.timestamp(precision: 6)), .timestamp(1_704_070_923_456_789), "2024-01-01T01:02:03.456789"),
            (DataType(.timestamp(precision: 9)), .timestamp(1_704_070_923_456_789_123), "2024-01-01T01:02:03.456789123"),
            (DataType(.timestamp(precision: 3)), .timestamp(1_704_070_920_000), "2024-01-01T01:02"),
            (DataType(.timestampLTZ(precision: 3)), .timestamp(1_704_070_800_000), "2024-01-01T01:00"),
            (DataType(.timestamp(precision: 3)), .timestamp(-1), "1969-12-31T23:59:59.999"),
            (DataType(.timestamp(precision: 0)), .timestamp(-62_135_596_800_000), "0001-01-01T00:00"),
            (DataType(.timestamp(precision: 9)), .timestamp(1_704_070_923_456_789_123), "2024-01-01T01:02:03.456789123"),
            (DataType(.timestamp(precision: 6)), .timestamp(253_402_300_799_999_999), "9999-12-31T23:59:59.999999"),
            (DataType(.timestamp(precision: 6)), .timestamp(-99_999_999_999_999 * 1000 + 1), "-1199-02-15T14:13:20.001001"),
            (DataType(.decimal(precision: 10, scale: 2)), .decimal(unscaled: 12345, scale: 2), "123.45"),
            (DataType(.decimal(precision: 10, scale: 3)), .decimal(unscaled: -5, scale: 3), "-0.005"),
            (DataType(.decimal(precision: 10, scale: 2)), .decimal(unscaled: 0, scale: 2), "0.00"),
            (DataType(.decimal(precision: 10, scale: 0)), .decimal(unscaled: 7, scale: 0), "7"),
            (DataType(.decimal(precision: 38, scale: 5)), .decimal(unscaled: -12_345_678_901_234_567_890_123, scale: 5), "-123456789012345678.90123"),
        ]
        let doubles: [(Double, String)] = [
            (0.0, "0.0"), (-0.0, "-0.0"), (1.0, "1.0"), (1.5, "1.5"), (100.0, "100.0"), (0.001, "0.001"), (0.0001, "1.0E-4"),
            (1e7, "1.0E7"), (9_999_999.0, "9999999.0"), (12345.678, "12345.678"), (1e-5, "1.0E-5"), (1.2345e20, "1.2345E20"),
            (3.141592653589793, "3.141592653589793"), (-2.5, "-2.5"), (1e16, "1.0E16"), (123_456_789_012.0, "1.23456789012E11"),
            (Double.greatestFiniteMagnitude, "1.7976931348623157E308"), (0.1, "0.1"), (1.0 / 3, "0.3333333333333333"),
            (.nan, "NaN"), (-.infinity, "-Infinity"),
        ]
        let floats: [(Float, String)] = [
            (1.0, "1.0"), (0.1, "0.1"), (1.5, "1.5"), (1e10, "1.0E10"), (3.4028235e38, "3.4028235E38"), (1.0e-4, "1.0E-4"),
            (123.456, "123.456"), (-0.0, "-0.0"),
        ]
        let all = cases + doubles.map { (DataType(.double), Value.double($0.0), $0.1) } + floats.map { (DataType(.float), Value.float($0.0), $0.1) }
        for (type, value, text) in all {
            let computer = InternalRowPartitionComputer(partitionType: RowType([DataField(id: 0, name: "p", type: type)]))
            let values = try computer.generatePartValues([value])
            #expect(values.first?.value == text, "\(type) \(value)")
            // And back from the directory name.
            let path = try computer.partitionPath([value])
            let back = try computer.convertSpecToInternal(PartitionPathUtils.extractPartitionSpecFromPath(path))
            if case .double(let d) = value, d.isNaN { continue }
            #expect(back == [value], "\(type) \(path)")
        }
    }

    @Test func castTextsWhenLegacyNameIsOff() throws {
        let cases: [(DataType, Value, String)] = [
            (DataType(.date), .date(days: 19723), "2024-01-01"),
            (DataType(.date), .date(days: -719_162), "0001-01-01"),
            (DataType(.time(precision: 3)), .time(millis: 3_723_004), "01:02:03.004"),
            (DataType(.time(precision: 3)), .time(millis: 3_723_500), "01:02:03.5"),
            (DataType(.time(precision: 0)), .time(millis: 3_723_500), "01:02:03"),
            (DataType(.timestamp(precision: 3)), .timestamp(1_704_070_923_456), "2024-01-01 01:02:03.456"),
            (DataType(.timestamp(precision: 3)), .timestamp(1_704_070_920_000), "2024-01-01 01:02:00.000"),
            (DataType(.timestamp(precision: 0)), .timestamp(1_704_070_920_000), "2024-01-01 01:02:00"),
            (DataType(.timestamp(precision: 6)), .timestamp(1_704_070_923_456_700), "2024-01-01 01:02:03.456700"),
            (.bytes, .bytes(Array("raw".utf8)), "raw"),
        ]
        for (type, value, text) in cases {
            let computer = InternalRowPartitionComputer(partitionType: RowType([DataField(id: 0, name: "p", type: type)]), legacyPartitionName: false)
            #expect(try computer.generatePartValues([value]).first?.value == text, "\(type)")
            let back = try computer.convertSpecToInternal([("p", text)])
            if case .time = type.kind { continue }  // TIME text of precision 0 drops the millis
            #expect(back == [value], "\(type) \(text)")
        }
        let legacyBinary = InternalRowPartitionComputer(partitionType: RowType([DataField(id: 0, name: "p", type: .bytes)]))
        #expect(paimonError { _ = try legacyBinary.generatePartValues([.bytes([1])]) }?.message.contains("BINARY") == true)
    }

    @Test func awkwardValuesRoundTripThroughDirectoryNames() throws {
        let type = RowType([DataField(id: 0, name: "dt", type: .string), DataField(id: 1, name: "k=ey/2", type: DataType(.int))])
        let computer = InternalRowPartitionComputer(partitionType: type)
        let values: [String] = [
            "with space", "slash/inside", "a=b", "100%", "ünïcödé 😀 中文", "quote\"s'", "tab\tand\nnewline", "#?*:[]{}^\\", "%2F",
            "trailing %", "dots..", "-", "__DEFAULT_PARTITION_", "\u{7F}del",
        ]
        for value in values {
            let row: [Value] = [.string(value), .integer(-1)]
            let path = try computer.partitionPath(row)
            #expect(path.hasSuffix("/k%3Dey%2F2=-1/"))
            #expect(path.split(separator: "/").count == 2, "\(path) has one directory per key")
            let spec = PartitionPathUtils.extractPartitionSpecFromPath(path)
            #expect(spec.map(\.key) == ["dt", "k=ey/2"])
            #expect(try computer.convertSpecToInternal(spec) == row, "\(value) → \(path)")
            // The same through the partition BinaryRow a manifest stores.
            let partition = try BinaryRow(values: row, types: type.fields.map(\.type))
            #expect(try computer.partitionPath(partition) == path)
        }
        for blank in [Value.null, .string(""), .string("   "), .string("\t\n")] {
            #expect(try computer.generatePartValues([blank, .null]).map(\.value) == ["__DEFAULT_PARTITION__", "__DEFAULT_PARTITION__"])
        }
        #expect(try computer.convertSpecToInternal([("dt", "__DEFAULT_PARTITION__"), ("k=ey/2", "__DEFAULT_PARTITION__")]) == [.null, .null])
        let custom = InternalRowPartitionComputer(partitionType: type, defaultPartValue: "null_part")
        #expect(try custom.partitionPath([.null, .integer(1)]) == "dt=null_part/k%3Dey%2F2=1/")
        // A no-break space is not white space to Java.
        #expect(try computer.generatePartValues([.string("\u{A0}"), .integer(0)]).first?.value == "\u{A0}")
    }

    @Test func fixturePartitionsNameTheirDirectories() throws {
        for (table, types) in [("pk_partitioned", [DataType.string.nullable(false)]), ("append_fixed_bucket", [DataType.string])] {
            let schema = try TableSchema(parsing: fixtureBytes("\(table)/schema/schema-0"))
            #expect(schema.logicalPartitionType.fields.map(\.type) == types)
            let computer = try InternalRowPartitionComputer(schema: schema)
            let directories = Set(try fixtureFiles(table, "").filter { $0.contains("=") })
            var seen = Set<String>()
            for snapshot in FixtureManifestData.snapshots where snapshot.table == table {
                for entry in snapshot.entries {
                    let partition = try SerializationUtils.deserializeBinaryRow(hex(entry.partition))
                    let path = try computer.partitionPath(partition)
                    seen.insert(String(path.dropLast()))
                    let bucketDirectory = FileStorePathFactory.relativeBucketPath(partitionPath: path, bucket: entry.bucket)
                    let files = try fixtureFiles(table, bucketDirectory)
                    #expect(files.contains(entry.fileName), "\(entry.fileName) in \(bucketDirectory)")
                }
            }
            #expect(seen == directories)
        }
    }

    @Test func badPartitionInputs() throws {
        let computer = InternalRowPartitionComputer(partitionType: RowType([DataField(id: 0, name: "d", type: DataType(.date)), DataField(id: 1, name: "n", type: DataType(.decimal(precision: 5, scale: 2)))]))
        let cases: [[(key: String, value: String)]] = [
            [("d", "2024-02-30"), ("n", "1")], [("d", "yesterday"), ("n", "1")], [("d", "1"), ("n", "1234.5")],
            [("d", "1"), ("n", "1.234")], [("d", "1"), ("x", "1")], [("d", "1")], [("d", "1"), ("d", "1")],
        ]
        for spec in cases {
            #expect(paimonError { _ = try computer.convertSpecToInternal(spec) }?.subject == "partition spec", "\(spec)")
        }
        #expect(paimonError { _ = try computer.generatePartValues([.string("x"), .null]) }?.message.contains("is not a value of") == true)
        #expect(paimonError { _ = try computer.generatePartValues([.null]) } != nil)
        #expect(try computer.convertSpecToInternal([("n", "1e2"), ("d", "-1")]) == [.date(days: -1), .decimal(unscaled: 10000, scale: 2)])
    }
}
