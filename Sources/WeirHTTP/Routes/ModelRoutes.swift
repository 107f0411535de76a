import WeirCatalog

extension GravitinoAPI {
    static func versionRef(_ call: Call, byAlias: Bool) throws -> ModelVersionRef {
        let text = call.params[4]
        if byAlias { return .alias(text) }
        guard let number = Int(text), number >= 0 else { throw APIError.illegalArgument("model version '\(text.prefix(40))' is not a non-negative integer") }
        return .version(number)
    }

    static func modelRoutes(_ service: CatalogService) -> [Route] {
        func versionRoutes(_ segment: String, byAlias: Bool) -> [Route] {
            [
                Route("metalakes/*/catalogs/*/schemas/*/models/*/\(segment)/*", [
                    "GET": { call in Payload("modelVersion", ModelVersionDTO(try await service.modelVersion(objectPath(call), try versionRef(call, byAlias: byAlias)))) },
                    "PUT": { call in
                        let ref = try versionRef(call, byAlias: byAlias)
                        let changes = try call.updates("model version update").map { try $0.modelVersionChange() }
                        return Payload("modelVersion", ModelVersionDTO(try await service.alterModelVersion(objectPath(call), ref, changes: changes, caller: call.caller)))
                    },
                    "DELETE": { call in Payload("dropped", try await service.dropModelVersion(objectPath(call), try versionRef(call, byAlias: byAlias))) },
                ]),
                Route("metalakes/*/catalogs/*/schemas/*/models/*/\(segment)/*/uri", [
                    "GET": { call in
                        Payload("uri", try await service.modelVersionURI(objectPath(call), try versionRef(call, byAlias: byAlias), uriName: call.query["uriName"]))
                    },
                ]),
            ]
        }
        return [
            Route("metalakes/*/catalogs/*/schemas/*/models", [
                "GET": { call in Payload("identifiers", identifiers(call, try await service.listModels(schemaPath(call)))) },
                "POST": { call in
                    let r = try call.decode(NamedCreateRequest.self, "model register")
                    let m = try await service.registerModel(ObjectPath(schemaPath(call), r.name), comment: r.comment, properties: r.properties ?? [:], caller: call.caller)
                    return Payload("model", ModelDTO(m))
                },
            ]),
            Route("metalakes/*/catalogs/*/schemas/*/models/*", [
                "GET": { call in Payload("model", ModelDTO(try await service.model(objectPath(call)))) },
                "PUT": { call in
                    let changes = try call.updates("model update").map { try $0.entityChange(accepting: ["rename", "updateComment", "setProperty", "removeProperty"]) }
                    return Payload("model", ModelDTO(try await service.alterModel(objectPath(call), changes: changes, caller: call.caller)))
                },
                "DELETE": { call in Payload("dropped", try await service.dropModel(objectPath(call))) },
            ]),
            Route("metalakes/*/catalogs/*/schemas/*/models/*/versions", [
                "GET": { call in
                    let versions = try await service.listModelVersions(objectPath(call))
                    if call.flag("details") { return Payload("infos", versions.map(ModelVersionDTO.init)) }
                    return Payload("versions", versions.map(\.version))
                },
                "POST": { call in
                    let r = try call.decode(ModelVersionLinkRequest.self, "model version link")
                    var uris = r.uris ?? [:]
                    if let uri = r.uri, !uri.isEmpty, uris[ModelVersion.unknownURIName] == nil { uris[ModelVersion.unknownURIName] = uri }
                    _ = try await service.linkModelVersion(objectPath(call), uris: uris, aliases: r.aliases ?? [], comment: r.comment,
                                                           properties: r.properties ?? [:], caller: call.caller)
                    return Payload()
                },
            ]),
        ] + versionRoutes("versions", byAlias: false) + versionRoutes("aliases", byAlias: true)
    }

    static func tagRoutes(_ service: CatalogService) -> [Route] {
        let store = service.store
        @Sendable func object(_ call: Call) throws -> MetadataObject {
            guard let type = MetadataObjectType(rawValue: call.params[1].lowercased()), type != .metalake else {
                throw APIError.illegalArgument("unknown metadata object type '\(call.params[1].prefix(40))' (expected catalog, schema, table, fileset, model or column)")
            }
            let object = MetadataObject(type: type, fullName: call.params[2])
            _ = try object.parts()
            return object
        }
        return [
            Route("metalakes/*/tags", [
                "GET": { call in
                    let tags = try await store.listTags(metalake: call.params[0])
                    if call.flag("details") { return Payload("tags", tags.map { TagDTO($0) }) }
                    return Payload("names", tags.map(\.name))
                },
                "POST": { call in
                    let r = try call.decode(NamedCreateRequest.self, "tag create")
                    let t = try await store.createTag(metalake: call.params[0], name: r.name, comment: r.comment, properties: r.properties ?? [:], caller: call.caller)
                    return Payload("tag", TagDTO(t))
                },
            ]),
            Route("metalakes/*/tags/*", [
                "GET": { call in Payload("tag", TagDTO(try await store.tag(metalake: call.params[0], name: call.params[1]))) },
                "PUT": { call in
                    let changes = try call.updates("tag update").map { try $0.entityChange(accepting: ["rename", "updateComment", "setProperty", "removeProperty"]) }
                    return Payload("tag", TagDTO(try await store.alterTag(metalake: call.params[0], name: call.params[1], changes: changes, caller: call.caller)))
                },
                "DELETE": { call in Payload("dropped", try await store.dropTag(metalake: call.params[0], name: call.params[1])) },
            ]),
            Route("metalakes/*/tags/*/objects", [
                "GET": { call in
                    let objects = try await store.objects(metalake: call.params[0], tag: call.params[1])
                    return Payload("metadataObjects", objects.map { MetadataObjectDTO(type: $0.type.rawValue, fullName: $0.fullName) })
                },
            ]),
            Route("metalakes/*/objects/*/*/tags", [
                "GET": { call in
                    let tags = try await service.tags(metalake: call.params[0], object: try object(call), caller: call.caller)
                    if call.flag("details") { return Payload("tags", tags.map { TagDTO($0.tag, inherited: $0.inherited) }) }
                    return Payload("names", tags.map(\.tag.name))
                },
                "POST": { call in
                    let r = try call.decode(TagsAssociateRequest.self, "tag association")
                    let names = try await service.associateTags(metalake: call.params[0], object: try object(call), add: r.tagsToAdd ?? [],
                                                                remove: r.tagsToRemove ?? [], caller: call.caller)
                    return Payload("names", names)
                },
            ]),
            Route("metalakes/*/objects/*/*/tags/*", [
                "GET": { call in
                    let tags = try await service.tags(metalake: call.params[0], object: try object(call), caller: call.caller)
                    guard let found = tags.first(where: { $0.tag.name == call.params[3] }) else {
                        throw CatalogError(.notFound, .tag, "Tag \(call.params[3]) is not associated with \(call.params[1]) \(call.params[2])")
                    }
                    return Payload("tag", TagDTO(found.tag, inherited: found.inherited))
                },
            ]),
        ]
    }
}
