import WeirCatalog

extension GravitinoAPI {
    static func tableRoutes(_ service: CatalogService) -> [Route] {
        [
            Route("metalakes/*/catalogs/*/schemas/*/tables", [
                "GET": { call in Payload("identifiers", identifiers(call, try await service.listTables(schemaPath(call), caller: call.caller))) },
                "POST": { call in
                    let r = try call.decode(TableCreateRequest.self, "table create")
                    let table = Table(name: r.name, comment: r.comment, columns: r.columns, properties: r.properties ?? [:],
                                      partitioning: r.partitioning ?? [], distribution: r.distribution ?? .none, sortOrders: r.sortOrders ?? [],
                                      indexes: r.indexes ?? [], audit: .created(by: call.caller.user, at: .init()))
                    return Payload("table", TableDTO(try await service.createTable(schemaPath(call), table, caller: call.caller)))
                },
            ]),
            Route("metalakes/*/catalogs/*/schemas/*/tables/*", [
                "GET": { call in Payload("table", TableDTO(try await service.table(objectPath(call), caller: call.caller))) },
                "PUT": { call in
                    let changes = try call.updates("table update").map { try $0.tableChange() }
                    return Payload("table", TableDTO(try await service.alterTable(objectPath(call), changes: changes, caller: call.caller)))
                },
                "DELETE": { call in Payload("dropped", try await service.dropTable(objectPath(call), purge: call.flag("purge"))) },
            ]),
        ]
    }

    static func filesetRoutes(_ service: CatalogService) -> [Route] {
        [
            Route("metalakes/*/catalogs/*/schemas/*/filesets", [
                "GET": { call in Payload("identifiers", identifiers(call, try await service.listFilesets(schemaPath(call)))) },
                "POST": { call in
                    let r = try call.decode(FilesetCreateRequest.self, "fileset create")
                    let typeText = r.type ?? "managed"
                    guard let type = FilesetType(rawValue: typeText.lowercased()) else {
                        throw APIError.illegalArgument("unknown fileset type '\(typeText.prefix(40))' (expected managed or external)")
                    }
                    var locations = r.storageLocations ?? [:]
                    if let single = r.storageLocation, !single.isEmpty, locations[Fileset.unknownLocationName] == nil {
                        locations[Fileset.unknownLocationName] = single
                    }
                    let f = try await service.createFileset(schemaPath(call), name: r.name, comment: r.comment, type: type, storageLocations: locations,
                                                            properties: r.properties ?? [:], caller: call.caller)
                    return Payload("fileset", FilesetDTO(f))
                },
            ]),
            Route("metalakes/*/catalogs/*/schemas/*/filesets/*", [
                "GET": { call in Payload("fileset", FilesetDTO(try await service.fileset(objectPath(call)))) },
                "PUT": { call in
                    let changes = try call.updates("fileset update").map {
                        try $0.entityChange(accepting: ["rename", "updateComment", "removeComment", "setProperty", "removeProperty"])
                    }
                    return Payload("fileset", FilesetDTO(try await service.alterFileset(objectPath(call), changes: changes, caller: call.caller)))
                },
                "DELETE": { call in Payload("dropped", try await service.dropFileset(objectPath(call))) },
            ]),
            Route("metalakes/*/catalogs/*/schemas/*/filesets/*/location", [
                "GET": { call in
                    guard let subPath = call.query["sub_path"] else { throw APIError.illegalArgument("the query parameter sub_path is required") }
                    let location = try await service.fileLocation(objectPath(call), subPath: subPath, locationName: call.query["location_name"],
                                                                  operation: call.header("FilesetDataOperation"))
                    return Payload("fileLocation", location)
                },
            ]),
            Route("metalakes/*/objects/fileset/*/credentials", [
                "GET": { call in
                    let parts = try MetadataObject(type: .fileset, fullName: call.params[1]).parts()
                    _ = try await service.fileset(ObjectPath(call.params[0], parts[0], parts[1], parts[2]))
                    return Payload("credentials", [String]())
                },
            ]),
        ]
    }
}
