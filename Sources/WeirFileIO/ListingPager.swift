import struct Foundation.Date

/// Turns the full set of keys under a directory into S3-shaped pages, for stores that can enumerate
/// everything cheaply (local disk, memory). One piece of logic so every backend pages, filters and orders
/// the same way as S3's ListObjectsV2.
///
/// Ordering: entries sort by their key relative to the directory, a subdirectory counting as `name/`
/// (so `b.txt` comes before `b/`, as in S3). The page token is the sort key of the last entry returned.
struct ListingPager {
    /// One file found below the directory.
    struct Entry {
        /// The key relative to the listed directory, `/`-separated, never empty.
        var relativeKey: String
        var size: Int64
        var modified: Double?
        var etag: String?
    }

    /// Builds one page from `files` (every file below `directory`, any depth, any order) and
    /// `emptyDirectories` (relative keys of directories with nothing below them, for stores that have them).
    static func page(
        directory: StoragePath, files: [Entry], emptyDirectories: [String] = [], options: ListOptions
    ) throws(FileIOError) -> ListPage {
        try options.validate(for: directory)
        enum Item { case file(Entry), directory(String) }
        var items: [(sortKey: String, item: Item)] = []
        var seenDirectories = Set<String>()
        func addDirectory(_ name: String) {
            if seenDirectories.insert(name).inserted { items.append((name + "/", .directory(name))) }
        }
        for file in files where file.relativeKey.hasPrefix(options.namePrefix) {
            if !options.recursive, let slash = file.relativeKey.firstIndex(of: "/") {
                addDirectory(String(file.relativeKey[..<slash]))
            } else {
                items.append((file.relativeKey, .file(file)))
            }
        }
        if !options.recursive {
            for name in emptyDirectories where name.hasPrefix(options.namePrefix) && !name.contains("/") {
                addDirectory(name)
            }
        }
        items.sort { $0.sortKey.utf8.lexicographicallyPrecedes($1.sortKey.utf8) }
        var start = 0
        if let token = options.pageToken {
            // First entry strictly after the token (binary search over the sorted keys).
            var low = 0, high = items.count
            while low < high {
                let mid = (low + high) / 2
                if items[mid].sortKey.utf8.lexicographicallyPrecedes(token.utf8) || items[mid].sortKey == token {
                    low = mid + 1
                } else {
                    high = mid
                }
            }
            start = low
        }
        let end = min(items.count, start + options.limit)
        var page = ListPage(files: [], directories: [], nextPageToken: end < items.count ? items[end - 1].sortKey : nil)
        for (_, item) in items[start..<end] {
            switch item {
            case .file(let entry):
                let path = StoragePath(unchecked: directory.scheme, directory.authority,
                                       directory.key.isEmpty ? entry.relativeKey : directory.key + "/" + entry.relativeKey)
                page.files.append(FileStatus(path: path, size: entry.size, isDirectory: false,
                                             modified: entry.modified.map { Date(timeIntervalSince1970: $0) }, etag: entry.etag))
            case .directory(let name):
                page.directories.append(StoragePath(unchecked: directory.scheme, directory.authority,
                                                    directory.key.isEmpty ? name : directory.key + "/" + name))
            }
        }
        return page
    }
}
