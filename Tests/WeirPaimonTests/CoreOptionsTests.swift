import Testing
import WeirPaimon

@Suite struct CoreOptionsTests {
    @Test func javaDefaults() throws {
        let o = CoreOptions([:])
        #expect(try o.bucket() == -1)
        #expect(o.bucketKey() == [])
        #expect(try o.bucketFunctionType() == .default)
        #expect(try o.fileFormat() == "parquet")
        #expect(try o.fileCompression() == "zstd")
        #expect(try o.fileCompressionZstdLevel() == 1)
        #expect(try o.manifestFormat() == "avro")
        #expect(try o.manifestCompression() == "zstd")
        #expect(try o.manifestTargetSize() == .ofMebiBytes(8))
        #expect(try o.manifestMergeMinCount() == 30)
        #expect(try o.manifestFullCompactionThresholdSize() == .ofMebiBytes(16))
        #expect(try o.mergeEngine() == .deduplicate)
        #expect(o.sequenceField() == [])
        #expect(try o.sequenceFieldSortOrder() == .ascending)
        #expect(o.rowkindField() == nil)
        #expect(try o.changelogProducer() == .none)
        #expect(try o.writeBufferSize() == 256 << 20)
        #expect(try o.writeBufferSpillable())
        #expect(try o.pageSize() == 64 << 10)
        #expect(try o.targetFileSize(hasPrimaryKey: true) == 128 << 20)
        #expect(try o.targetFileSize(hasPrimaryKey: false) == 256 << 20)
        #expect(try o.compactionFileSize(hasPrimaryKey: true) == (128 << 20) / 10 * 7)
        #expect(try o.numSortedRunCompactionTrigger() == 5)
        #expect(try o.numSortedRunStopTrigger() == 8)
        #expect(try o.numLevels() == 6)
        #expect(try o.maxSizeAmplificationPercent() == 200)
        #expect(try o.sortedRunSizeRatio() == 1)
        #expect(try o.fullCompactionDeltaCommits() == nil)
        #expect(try o.snapshotNumRetainMin() == 10)
        #expect(try o.snapshotNumRetainMax() == Int32.max)
        #expect(try o.snapshotTimeRetain() == .seconds(3600))
        #expect(try o.snapshotExpireLimit() == 50)
        #expect(try o.changelogNumRetainMin() == 10)
        #expect(try o.changelogNumRetainMax() == Int32.max)
        #expect(try o.changelogTimeRetain() == .seconds(3600))
        #expect(try !o.deletionVectorsEnabled())
        #expect(try !o.deletionVectorBitmap64())
        #expect(try !o.writeOnly())
        #expect(try !o.ignoreDelete())
        #expect(try !o.ignoreUpdateBefore())
        #expect(o.partitionDefaultName() == "__DEFAULT_PARTITION__")
        #expect(try o.legacyPartitionName())
        #expect(try o.statsMode() == .truncate(16))
        #expect(try o.statsDenseStore())
        #expect(o.dataFilePrefix() == "data-")
        #expect(o.changelogFilePrefix() == "changelog-")
        #expect(try !o.fileSuffixIncludeCompression())
        #expect(try !o.dataFileThinMode())
        #expect(try o.commitMaxRetries() == 10)
        #expect(try o.commitTimeout() == nil)
        #expect(try o.commitMinRetryWait() == .milliseconds(10))
        #expect(try o.commitMaxRetryWait() == .seconds(10))
        #expect(try o.dynamicBucketTargetRowNum() == 2_000_000)
        #expect(try o.fileIndexInManifestThreshold() == 500)
        #expect(try !o.rowTrackingEnabled())
        #expect(try !o.dataEvolutionEnabled())
        #expect(try o.fileFormatPerLevel() == [:])
        #expect(try !o.partialUpdateRemoveRecordOnDelete())
        #expect(try !o.aggregationRemoveRecordOnDelete())
        #expect(o.fieldsDefaultFunc() == nil)
    }

    @Test func setValuesAndDerivedDefaults() throws {
        let o = CoreOptions([
            "bucket": "4", "bucket-key": "a,b", "file.format": "ORC", "merge-engine": "Partial-Update", "changelog-producer": "FULL-COMPACTION",
            "sequence.field": "ts,seq", "sequence.field.sort-order": "descending", "rowkind.field": "op",
            "num-sorted-run.compaction-trigger": "3", "write-buffer-size": "128MB", "target-file-size": "  64 mb ",
            "snapshot.time-retained": "30 min", "snapshot.num-retained.min": "+2", "changelog.num-retained.min": "20",
            "partial-update.ignore-delete": "TRUE", "write.compaction-skip": "true", "file.format.per.level": "0:AVRO, 1: orc",
            "fields.total.aggregate-function": "sum", "fields.tags.ignore-retract": "true", "fields.names.list-agg-delimiter": ";",
            "fields.default-aggregate-function": "last_value", "fields.g1,g2.sequence-group": "a, b", "fields.g3.sequence-group": "c",
            "partial-update.remove-record-on-sequence-group": "g1, g3", "commit.timeout": "2 d", "partition.default-name": "NULL",
        ])
        #expect(try o.bucket() == 4)
        #expect(o.bucketKey() == ["a", "b"])
        #expect(try o.fileFormat() == "orc")
        #expect(try o.mergeEngine() == .partialUpdate)
        #expect(try o.changelogProducer() == .fullCompaction)
        #expect(o.sequenceField() == ["ts", "seq"])
        #expect(try o.sequenceFieldSortOrder() == .descending)
        #expect(o.rowkindField() == "op")
        #expect(try o.numSortedRunStopTrigger() == 6)
        #expect(try o.numLevels() == 4)
        #expect(try o.writeBufferSize() == 128 << 20)
        #expect(try o.targetFileSize(hasPrimaryKey: true) == 64 << 20)
        #expect(try o.snapshotTimeRetain() == .seconds(1800))
        #expect(try o.snapshotNumRetainMin() == 2)
        #expect(try o.changelogNumRetainMin() == 20)
        #expect(try o.changelogTimeRetain() == .seconds(1800))
        #expect(try o.ignoreDelete(), "fallback key partial-update.ignore-delete")
        #expect(try o.writeOnly(), "fallback key write.compaction-skip")
        #expect(try o.fileFormatPerLevel() == [0: "avro", 1: "orc"])
        #expect(o.fieldAggFunc("total") == "sum")
        #expect(o.fieldAggFunc("other") == nil)
        #expect(try o.fieldAggIgnoreRetract("tags"))
        #expect(try !o.fieldAggIgnoreRetract("total"))
        #expect(o.fieldListAggDelimiter("names") == ";")
        #expect(o.fieldListAggDelimiter("other") == ",")
        #expect(o.fieldsDefaultFunc() == "last_value")
        let groups = o.sequenceGroups()
        #expect(groups.map(\.sequenceFields) == [["g1", "g2"], ["g3"]])
        #expect(groups.map(\.fields) == [["a", "b"], ["c"]])
        #expect(o.partialUpdateRemoveRecordOnSequenceGroup() == ["g1", "g3"])
        #expect(try o.commitTimeout() == .seconds(172_800))
        #expect(o.partitionDefaultName() == "NULL")
        let stop = CoreOptions(["num-sorted-run.compaction-trigger": "10", "num-sorted-run.stop-trigger": "4"])
        #expect(try stop.numSortedRunStopTrigger() == 10, "never below the trigger")
        #expect(try CoreOptions(["num-sorted-run.compaction-trigger": "2147483647"]).numSortedRunStopTrigger() == Int32.max)
    }

    @Test func memorySizes() throws {
        let cases: [(String, Int64)] = [
            ("256 mb", 256 << 20), ("128MB", 128 << 20), ("64 kb", 64 << 10), ("500 B", 500), ("0", 0), ("7", 7), ("1g", 1 << 30),
            ("2 tb", 2 << 40), ("3 kibibytes", 3 << 10), ("4 Mebibytes", 4 << 20), (" 16  m ", 16 << 20), ("10 bytes", 10),
            ("9223372036854775807", Int64.max),
        ]
        for (text, bytes) in cases {
            #expect(try MemorySize.parse(text).bytes == bytes, "\(text)")
        }
        for bad in ["", "   ", "mb", "-1 mb", "1.5 mb", "12 xb", "9223372036854775808", "9999999999 tb", "1 m b", String(repeating: "1", count: 100)] {
            let error = paimonError { _ = try MemorySize.parse(bad, subject: "option 'write-buffer-size'") }
            #expect(error?.subject == "option 'write-buffer-size'", "\(bad)")
        }
    }

    @Test func durations() throws {
        let cases: [(String, Duration)] = [
            ("1 h", .seconds(3600)), ("30 min", .seconds(1800)), ("30m", .seconds(1800)), ("10s", .seconds(10)), ("10 secs", .seconds(10)),
            ("500", .milliseconds(500)), ("500 ms", .milliseconds(500)), ("2 days", .seconds(172_800)), ("1 d", .seconds(86_400)),
            ("3 µs", .microseconds(3)), ("3 micros", .microseconds(3)), ("7 ns", .nanoseconds(7)), ("1 HOURS", .seconds(3600)),
            ("5 milli", .milliseconds(5)), ("2 minutes", .seconds(120)), ("0", .zero),
        ]
        for (text, duration) in cases {
            #expect(try TimeUtils.parseDuration(text) == duration, "\(text)")
        }
        #expect(TimeUtils.milliseconds(try TimeUtils.parseDuration("1 h")) == 3_600_000)
        for bad in ["", "h", "1 fortnight", "-5 s", "1.5 h", "106751991167301 d", "99999999999999999999 s"] {
            #expect(paimonError { _ = try TimeUtils.parseDuration(bad, subject: "option 'snapshot.time-retained'") }?.subject == "option 'snapshot.time-retained'", "\(bad)")
        }
    }

    @Test func badValuesNameTheOption() throws {
        let cases: [(CoreOptions, (CoreOptions) throws(PaimonFormatError) -> Void, String)] = [
            (CoreOptions(["bucket": " 4"]), { o throws(PaimonFormatError) in _ = try o.bucket() }, "option 'bucket'"),
            (CoreOptions(["bucket": "4.0"]), { o throws(PaimonFormatError) in _ = try o.bucket() }, "option 'bucket'"),
            (CoreOptions(["bucket": "2147483648"]), { o throws(PaimonFormatError) in _ = try o.bucket() }, "option 'bucket'"),
            (CoreOptions(["merge-engine": "dedup"]), { o throws(PaimonFormatError) in _ = try o.mergeEngine() }, "option 'merge-engine'"),
            (CoreOptions(["deletion-vectors.enabled": "yes"]), { o throws(PaimonFormatError) in _ = try o.deletionVectorsEnabled() }, "option 'deletion-vectors.enabled'"),
            (CoreOptions(["write-buffer-size": "lots"]), { o throws(PaimonFormatError) in _ = try o.writeBufferSize() }, "option 'write-buffer-size'"),
            (CoreOptions(["snapshot.time-retained": "1 eon"]), { o throws(PaimonFormatError) in _ = try o.snapshotTimeRetain() }, "option 'snapshot.time-retained'"),
            (CoreOptions(["dynamic-bucket.target-row-num": "2e6"]), { o throws(PaimonFormatError) in _ = try o.dynamicBucketTargetRowNum() }, "option 'dynamic-bucket.target-row-num'"),
            (CoreOptions(["file.format.per.level": "0=avro"]), { o throws(PaimonFormatError) in _ = try o.fileFormatPerLevel() }, "option 'file.format.per.level'"),
            (CoreOptions(["file.format.per.level": "x:avro"]), { o throws(PaimonFormatError) in _ = try o.fileFormatPerLevel() }, "option 'file.format.per.level'"),
            (CoreOptions(["metadata.stats-mode": "truncate(x)"]), { o throws(PaimonFormatError) in _ = try o.statsMode() }, "option 'metadata.stats-mode'"),
            (CoreOptions(["bucket-function.type": "hash"]), { o throws(PaimonFormatError) in _ = try o.bucketFunctionType() }, "option 'bucket-function.type'"),
        ]
        for (options, access, subject) in cases {
            let error = paimonError { try access(options) }
            #expect(error?.subject == subject, "\(options.options): \(String(describing: error))")
        }
        #expect(try CoreOptions(["metadata.stats-mode": "FULL"]).statsMode() == .full)
        #expect(try CoreOptions(["metadata.stats-mode": "Truncate(128)"]).statsMode() == .truncate(128))
        #expect(try CoreOptions(["metadata.stats-mode": "none"]).statsMode() == SimpleColStatsCollector.Mode.none)
        #expect(try CoreOptions(["metadata.stats-mode": "counts"]).statsMode() == .counts)
    }
}
