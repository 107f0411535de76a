import Testing
import WeirColumnar
import WeirPaimon

@Suite struct BucketTests {
    /// spec/paimon-format.md section 6.2: bucket key, bucket for N = 2 and N = 10.
    @Test func specVectors() throws {
        let vectors: [([DataType], [Value], Int32, Int32)] = [
            ([DataType(.bigint)], [.integer(1)], 0, 8),
            ([DataType(.int)], [.integer(1)], 0, 8),
            ([DataType(.bigint)], [.integer(3)], 1, 5),
            ([.string], [.string("abc")], 1, 9),
            ([.string], [.string("abcdefghij")], 0, 8),
            ([DataType(.int), .string], [.integer(1), .string("a")], 0, 2),
        ]
        let function = DefaultBucketFunction()
        for (types, values, two, ten) in vectors {
            let row = try BinaryRow(values: values, types: types)
            #expect(try function.bucket(row, numBuckets: 2) == two, "\(values)")
            #expect(try function.bucket(row, numBuckets: 10) == ten, "\(values)")
        }
        #expect(paimonError { _ = try function.bucket(.emptyRow, numBuckets: 0) } != nil)
    }

    @Test func modBucketFunction() throws {
        let bigint = try ModBucketFunction(bucketKeyType: RowType([DataField(id: 0, name: "k", type: DataType(.bigint))]))
        for (value, expected) in [(Int64(7), Int32(1)), (-7, 2), (0, 0), (Int64.min, 1), (Int64.max, 1)] {
            #expect(try bigint.bucket(try BinaryRow(values: [.integer(value)], types: [DataType(.bigint)]), numBuckets: 3) == expected, "\(value)")
        }
        let int = try makeBucketFunction(.mod, bucketKeyType: RowType([DataField(id: 0, name: "k", type: DataType(.int, nullable: false))]))
        #expect(try int.bucket(try BinaryRow(values: [.integer(-1)], types: [DataType(.int)]), numBuckets: 4) == 3)
        #expect(paimonError { _ = try ModBucketFunction(bucketKeyType: RowType([DataField(id: 0, name: "k", type: .string)])) }?.message.contains("INT or BIGINT") == true)
        #expect(paimonError {
            _ = try ModBucketFunction(bucketKeyType: RowType([DataField(id: 0, name: "a", type: DataType(.int)), DataField(id: 1, name: "b", type: DataType(.int))]))
        }?.message.contains("exactly one field") == true)
        #expect(paimonError { _ = try bigint.bucket(try BinaryRow(values: [.null], types: [DataType(.bigint)]), numBuckets: 3) } != nil)
    }

    /// Every row pypaimon placed in a fixed-bucket fixture table sits in the bucket our extractor computes.
    @Test func fixtureRowsAreInTheComputedBuckets() throws {
        var checked = 0
        for table in ["pk_partitioned", "pk_aggregation", "append_fixed_bucket", "pk_first_row"] {
            let schema = try TableSchema(parsing: fixtureBytes("\(table)/schema/schema-0"))
            let extractor = try FixedBucketRowKeyExtractor(schema: schema)
            let partitions = try InternalRowPartitionComputer(schema: schema)
            for file in FixtureManifestData.dataFileKeys where file.table == table {
                let components = file.path.split(separator: "/")
                let bucket = try #require(FileStorePathFactory.parseBucketDirectoryName(String(components[components.count - 2])))
                let spec = PartitionPathUtils.extractPartitionSpecFromPath(file.path)
                let partitionValues = try partitions.convertSpecToInternal(spec)
                for id in file.ids {
                    var row = [Value](repeating: .null, count: schema.fields.count)
                    row[schema.fieldNames.firstIndex(of: "id")!] = .integer(id)
                    for (key, value) in zip(schema.partitionKeys, partitionValues) { row[schema.fieldNames.firstIndex(of: key)!] = value }
                    #expect(try extractor.bucket(row) == bucket, "\(table) id \(id) in \(file.path)")
                    #expect(try partitions.partitionPath(try extractor.partition(row)) + FileStorePathFactory.bucketDirectoryName(bucket)
                        == components.dropLast().joined(separator: "/"))
                    checked += 1
                }
            }
        }
        #expect(checked == 35)
    }

    /// The dynamic-bucket HASH index files hold the `hashCode` of each key's BinaryRow (big-endian int32s).
    @Test func fixtureHashIndexHoldsKeyHashes() throws {
        // Buckets of the index files, from the table's index manifests (decoded with fastavro).
        let bucketOfIndex = [
            "index-db703d50-227e-4e35-920c-2bef856c7c76-0": Int32(0), "index-3959b4fd-3cf4-4efb-9165-879bc44e21d7-0": 1,
            "index-a1bca9a2-79a5-40ee-b2ad-7a4726c0b08e-0": 2, "index-7d6c9738-3562-47a8-8491-d6ccd4f50cb7-0": 2,
        ]
        var idsByHash: [Int32: Int64] = [:]
        for id in Int64(1)...11 {
            idsByHash[try BinaryRow(values: [.integer(id)], types: [DataType(.bigint, nullable: false)]).hashCode] = id
        }
        for (name, content) in FixtureManifestData.hashIndexFiles {
            let bytes = hex(content)
            let bucket = try #require(bucketOfIndex[name])
            let dataIds = Set(FixtureManifestData.dataFileKeys.filter { $0.table == "pk_dynamic_bucket" && $0.path.hasPrefix("bucket-\(bucket)/") }.flatMap(\.ids))
            for offset in stride(from: 0, to: bytes.count, by: 4) {
                let hash = Int32(bitPattern: UInt32(bytes[offset]) << 24 | UInt32(bytes[offset + 1]) << 16 | UInt32(bytes[offset + 2]) << 8 | UInt32(bytes[offset + 3]))
                let id = try #require(idsByHash[hash], "hash \(hash) in \(name) is no key's hash")
                #expect(dataIds.contains(id), "key \(id) of \(name) is not in bucket \(bucket)")
            }
        }
    }

    @Test func bucketModesAndExtractorPreconditions() throws {
        func schema(_ pk: [String], _ partition: [String], _ options: [String: String]) throws -> TableSchema {
            try TableSchema.create(
                columns: [.init("p", .string), .init("k", DataType(.bigint)), .init("v", DataType(.int))],
                partitionKeys: partition, primaryKeys: pk, options: options, timeMillis: 0)
        }
        #expect(BucketMode.of(try schema(["k"], [], ["bucket": "4"])) == .hashFixed)
        #expect(BucketMode.of(try schema(["k"], [], [:])) == .hashDynamic)
        #expect(BucketMode.of(try schema(["p", "k"], ["p"], [:])) == .hashDynamic)
        #expect(BucketMode.of(try schema(["k"], ["p"], [:])) == .keyDynamic)
        #expect(BucketMode.of(try schema(["k"], [], ["bucket": "-2"])) == .postponeMode)
        #expect(BucketMode.of(try schema([], [], [:])) == .bucketUnaware)
        #expect(BucketMode.of(try schema([], [], ["bucket": "3", "bucket-key": "k"])) == .hashFixed)
        #expect(paimonError { _ = try FixedBucketRowKeyExtractor(schema: try schema(["k"], [], [:])) }?.message.contains("not fixed-bucket") == true)
        #expect(paimonError { _ = try FixedBucketRowKeyExtractor(schema: try schema(["k"], [], ["bucket": "0"])) }?.message.contains("not a positive") == true)
        #expect(paimonError {
            _ = try FixedBucketRowKeyExtractor(schema: try schema(["k"], [], ["bucket": "2", "bucket-function.type": "mod", "bucket-key": "k"]))
        } == nil)
        let extractor = try FixedBucketRowKeyExtractor(schema: try schema(["p", "k"], ["p"], ["bucket": "2"]))
        let row: [Value] = [.string("x"), .integer(3), .integer(0)]
        #expect(try extractor.trimmedPrimaryKey(row) == (try BinaryRow(values: [.integer(3)], types: [DataType(.bigint)])))
        #expect(try extractor.bucket(row) == 1)
        #expect(paimonError { _ = try extractor.bucket([.integer(3)]) }?.message.contains("values for the 3 fields") == true)
    }
}
