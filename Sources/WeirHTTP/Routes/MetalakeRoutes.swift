import WeirCatalog

extension GravitinoAPI {
    static func routes(_ service: CatalogService) -> [Route] {
        metalakeRoutes(service) + catalogRoutes(service) + schemaRoutes(service) + tableRoutes(service)
            + filesetRoutes(service) + modelRoutes(service) + tagRoutes(service)
    }

    static func metalakeRoutes(_ service: CatalogService) -> [Route] {
        let store = service.store
        return [
            Route("version", [
                "GET": { _ in Payload("version", VersionDTO(version: gravitinoVersion, compileDate: "", gitCommit: "weir")) },
            ]),
            Route("metalakes", [
                "GET": { _ in Payload("metalakes", try await store.listMetalakes().map { MetalakeDTO($0, withInUse: true) }) },
                "POST": { call in
                    let r = try call.decode(NamedCreateRequest.self, "metalake create")
                    let m = try await store.createMetalake(name: r.name, comment: r.comment, properties: r.properties ?? [:], caller: call.caller)
                    return Payload("metalake", MetalakeDTO(m, withInUse: false))
                },
            ]),
            Route("metalakes/*", [
                "GET": { call in Payload("metalake", MetalakeDTO(try await store.metalake(call.params[0]), withInUse: true)) },
                "PUT": { call in
                    let changes = try call.updates("metalake update").map { try $0.entityChange(accepting: ["rename", "updateComment", "setProperty", "removeProperty"]) }
                    let m = try await store.alterMetalake(call.params[0], changes: changes, caller: call.caller)
                    return Payload("metalake", MetalakeDTO(m, withInUse: true))
                },
                "PATCH": { call in
                    let r = try call.decode(SetInUseRequest.self, "metalake enable/disable")
                    try await store.setMetalakeInUse(call.params[0], r.inUse, caller: call.caller)
                    return Payload()
                },
                "DELETE": { call in Payload("dropped", try await service.dropMetalake(call.params[0], force: call.flag("force"))) },
            ]),
        ]
    }

    static func catalogRoutes(_ service: CatalogService) -> [Route] {
        let store = service.store
        @Sendable func dto(_ c: Catalog) -> CatalogDTO { CatalogDTO(c, metadataOnly: service.isMetadataOnly(c)) }
        return [
            Route("metalakes/*/catalogs", [
                "GET": { call in
                    let catalogs = try await store.listCatalogs(metalake: call.params[0])
                    if call.flag("details") { return Payload("catalogs", catalogs.map(dto)) }
                    return Payload("identifiers", catalogs.map { NameIdentifierDTO(namespace: [call.params[0]], name: $0.name) })
                },
                "POST": { call in
                    let r = try call.decode(CatalogCreateRequest.self, "catalog create")
                    guard let type = CatalogType(parsing: r.type) else {
                        throw APIError.illegalArgument("unknown catalog type '\(r.type.prefix(40))' (expected relational, fileset, model or messaging)")
                    }
                    let c = try await service.createCatalog(CatalogPath(call.params[0], r.name), type: type, provider: r.provider,
                                                            comment: r.comment, properties: r.properties ?? [:], caller: call.caller)
                    return Payload("catalog", dto(c))
                },
            ]),
            Route("metalakes/*/catalogs/*", [
                "GET": { call in Payload("catalog", dto(try await store.catalog(CatalogPath(call.params[0], call.params[1])))) },
                "PUT": { call in
                    let changes = try call.updates("catalog update").map { try $0.entityChange(accepting: ["rename", "updateComment", "setProperty", "removeProperty"]) }
                    let c = try await service.alterCatalog(CatalogPath(call.params[0], call.params[1]), changes: changes, caller: call.caller)
                    return Payload("catalog", dto(c))
                },
                "PATCH": { call in
                    let r = try call.decode(SetInUseRequest.self, "catalog enable/disable")
                    try await store.setCatalogInUse(CatalogPath(call.params[0], call.params[1]), r.inUse, caller: call.caller)
                    return Payload()
                },
                "DELETE": { call in
                    Payload("dropped", try await service.dropCatalog(CatalogPath(call.params[0], call.params[1]), force: call.flag("force")))
                },
            ]),
            Route("metalakes/*/catalogs/*/testConnection", [
                "POST": { call in
                    let path = CatalogPath(call.params[0], call.params[1])
                    _ = try await service.listSchemas(path)
                    return Payload()
                },
            ]),
        ]
    }

    static func schemaRoutes(_ service: CatalogService) -> [Route] {
        [
            Route("metalakes/*/catalogs/*/schemas", [
                "GET": { call in
                    let names = try await service.listSchemas(CatalogPath(call.params[0], call.params[1]))
                    return Payload("identifiers", names.map { NameIdentifierDTO(namespace: [call.params[0], call.params[1]], name: $0) })
                },
                "POST": { call in
                    let r = try call.decode(NamedCreateRequest.self, "schema create")
                    let name = try RawPath.decode(r.name, plusIsSpace: false)
                    let s = try await service.createSchema(SchemaPath(call.params[0], call.params[1], name), comment: r.comment,
                                                           properties: r.properties ?? [:], caller: call.caller)
                    return Payload("schema", SchemaDTO(s))
                },
            ]),
            Route("metalakes/*/catalogs/*/schemas/*", [
                "GET": { call in Payload("schema", SchemaDTO(try await service.schema(schemaPath(call), caller: call.caller))) },
                "PUT": { call in
                    let changes = try call.updates("schema update").map { try $0.entityChange(accepting: ["setProperty", "removeProperty"]) }
                    return Payload("schema", SchemaDTO(try await service.alterSchema(schemaPath(call), changes: changes, caller: call.caller)))
                },
                "DELETE": { call in Payload("dropped", try await service.dropSchema(schemaPath(call), cascade: call.flag("cascade"))) },
            ]),
        ]
    }

    static func schemaPath(_ call: Call) -> SchemaPath {
        SchemaPath(call.params[0], call.params[1], call.params[2])
    }

    static func objectPath(_ call: Call) -> ObjectPath {
        ObjectPath(call.params[0], call.params[1], call.params[2], call.params[3])
    }

    static func identifiers(_ call: Call, _ names: [String]) -> [NameIdentifierDTO] {
        names.map { NameIdentifierDTO(namespace: [call.params[0], call.params[1], call.params[2]], name: $0) }
    }
}
