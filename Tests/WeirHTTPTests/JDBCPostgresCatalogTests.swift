import Foundation
import Testing
import WeirCatalog
import WeirHTTP
import WeirTestSupport

/// A `jdbc-postgresql` catalog against a real PostgreSQL 15: what the API creates is in PostgreSQL, and what is
/// created in PostgreSQL shows through the API.
@Suite(.postgres) struct JDBCPostgresCatalogTests {
    @Test func tablesGoBothWaysBetweenTheAPIAndPostgreSQL() async throws {
        let server = try CurrentPostgres.require()
        let database = try await SharedPostgres.shared.freshDatabase("jdbc")
        let scratch = try Scratch("jdbc"); defer { scratch.remove() }
        try await APIHarness.withClient(try await APIHarness.service(scratch)) { api in
            try await api.ok("POST", "/api/metalakes", #"{"name":"ml"}"#)
            let created = try await api.ok("POST", "/api/metalakes/ml/catalogs", #"""
                {"name":"pg","type":"relational","provider":"jdbc-postgresql","comment":"real",
                 "properties":{"jdbc-url":"\#(server.jdbcURL(database: database))","jdbc-user":"\#(PostgresServer.user)","jdbc-password":"",
                               "jdbc-driver":"org.postgresql.Driver","jdbc-database":"\#(database)"}}
                """#)
            #expect(((created["catalog"] as? [String: Any])?["properties"] as? [String: String])?["weir.metadata-only"] == nil)
            try await api.ok("POST", "/api/metalakes/ml/catalogs/pg/testConnection")
            try await api.ok("POST", "/api/metalakes/ml/catalogs/pg/schemas", #"{"name":"sales","comment":"from the API"}"#)
            #expect(try server.psql("SELECT obj_description(oid, 'pg_namespace') FROM pg_namespace WHERE nspname = 'sales'", database: database)
                .trimmingCharacters(in: .whitespacesAndNewlines) == "from the API")
            let table = #"""
            {"name":"orders","comment":"orders table","columns":[
              {"name":"id","type":"long","nullable":false,"autoIncrement":true,"comment":"key"},
              {"name":"amount","type":"decimal(12,2)","nullable":true},
              {"name":"note","type":"varchar(40)","defaultValue":{"type":"literal","dataType":"varchar(40)","value":"none"}},
              {"name":"at","type":"timestamp_tz(3)"},{"name":"flags","type":{"type":"list","elementType":"integer","containsNull":true}}],
             "properties":{"owner":"sales-team"},"partitioning":[],"distribution":{"strategy":"none","number":0,"funcArgs":[]},"sortOrders":[],
             "indexes":[{"indexType":"PRIMARY_KEY","name":"orders_pk","fieldNames":[["id"]]}]}
            """#
            let made = try await api.ok("POST", "/api/metalakes/ml/catalogs/pg/schemas/sales/tables", table)["table"] as? [String: Any]
            #expect(made?["properties"] as? [String: String] == ["owner": "sales-team"])
            // In PostgreSQL: the columns with their types, nullability, identity, default and the primary key.
            let columns = try server.psql("""
                SELECT column_name || ':' || data_type || ':' || is_nullable || ':' || is_identity || ':' || coalesce(column_default, '')
                FROM information_schema.columns WHERE table_schema = 'sales' AND table_name = 'orders' ORDER BY ordinal_position
                """, database: database).split(separator: "\n").map(String.init)
            #expect(columns == ["id:bigint:NO:YES:", "amount:numeric:YES:NO:", "note:character varying:YES:NO:'none'::character varying",
                                "at:timestamp with time zone:YES:NO:", "flags:ARRAY:YES:NO:"], "\(columns)")
            #expect(try server.psql("SELECT conname FROM pg_constraint WHERE contype = 'p' AND conrelid = 'sales.orders'::regclass", database: database)
                .trimmingCharacters(in: .whitespacesAndNewlines) == "orders_pk")
            try server.psql("INSERT INTO sales.orders (amount, at) VALUES (9.5, now())", database: database)
            // Loaded back through the API: types mapped back, the record's properties and audit.
            let loaded = try await api.ok("GET", "/api/metalakes/ml/catalogs/pg/schemas/sales/tables/orders")["table"] as? [String: Any]
            let cols = loaded?["columns"] as? [[String: Any]] ?? []
            #expect(cols.map { "\($0["name"]!):\($0["type"]!)" }.prefix(4) == ["id:long", "amount:decimal(12,2)", "note:varchar(40)", "at:timestamp_tz(3)"])
            #expect(cols.first?["autoIncrement"] as? Bool == true && cols.first?["nullable"] as? Bool == false && cols.first?["comment"] as? String == "key")
            #expect((cols[2]["defaultValue"] as? [String: Any])?["value"] as? String == "none")
            #expect(loaded?["comment"] as? String == "orders table" && loaded?["properties"] as? [String: String] == ["owner": "sales-team"])
            try await api.fails("POST", "/api/metalakes/ml/catalogs/pg/schemas/sales/tables", table, code: 1004, type: "TableAlreadyExistsException")
            try await api.fails("POST", "/api/metalakes/ml/catalogs/pg/schemas/sales/tables",
                                #"{"name":"p","columns":[{"name":"id","type":"long"}],"partitioning":[{"strategy":"identity","fieldName":["id"]}]}"#,
                                code: 1006, type: "UnsupportedOperationException")
            // The other way: a table made in PostgreSQL appears in the API.
            try server.psql("CREATE TABLE sales.customers (cid integer PRIMARY KEY, name text NOT NULL, born date, doc jsonb); COMMENT ON TABLE sales.customers IS 'made in psql'",
                            database: database)
            let names = (try await api.ok("GET", "/api/metalakes/ml/catalogs/pg/schemas/sales/tables")["identifiers"] as? [[String: Any]])?.compactMap { $0["name"] as? String }
            #expect(names == ["customers", "orders"])
            let customers = try await api.ok("GET", "/api/metalakes/ml/catalogs/pg/schemas/sales/tables/customers")["table"] as? [String: Any]
            #expect(customers?["comment"] as? String == "made in psql")
            let ccols = customers?["columns"] as? [[String: Any]] ?? []
            #expect(ccols.map { $0["name"] as? String } == ["cid", "name", "born", "doc"])
            #expect(ccols[0]["type"] as? String == "integer" && ccols[1]["nullable"] as? Bool == false)
            #expect((ccols[3]["type"] as? [String: Any])?["unparsedType"] as? String == "jsonb")
            // Alter through the API and see it in PostgreSQL; tags work on imported tables.
            try await api.ok("PUT", "/api/metalakes/ml/catalogs/pg/schemas/sales/tables/customers", #"""
                {"updates":[{"@type":"addColumn","fieldName":["email"],"type":"varchar(80)","comment":"mail","position":"default","nullable":true,"autoIncrement":false},
                            {"@type":"renameColumn","oldFieldName":["born"],"newFieldName":"birthday"},{"@type":"setProperty","property":"pii","value":"yes"}]}
                """#)
            #expect(try server.psql("SELECT string_agg(column_name, ',' ORDER BY ordinal_position) FROM information_schema.columns WHERE table_name = 'customers'", database: database)
                .trimmingCharacters(in: .whitespacesAndNewlines) == "cid,name,birthday,doc,email")
            try await api.ok("POST", "/api/metalakes/ml/tags", #"{"name":"pii"}"#)
            try await api.ok("POST", "/api/metalakes/ml/objects/column/pg.sales.customers.email/tags", #"{"tagsToAdd":["pii"]}"#)
            #expect(try await api.ok("GET", "/api/metalakes/ml/objects/column/pg.sales.customers.email/tags")["names"] as? [String] == ["pii"])
            // Drops reach PostgreSQL; a non-empty schema needs cascade.
            try await api.fails("DELETE", "/api/metalakes/ml/catalogs/pg/schemas/sales", code: 1005, type: "NonEmptySchemaException")
            #expect(try await api.ok("DELETE", "/api/metalakes/ml/catalogs/pg/schemas/sales/tables/orders")["dropped"] as? Bool == true)
            #expect(try server.psql("SELECT count(*) FROM pg_tables WHERE schemaname = 'sales'", database: database).trimmingCharacters(in: .whitespacesAndNewlines) == "1")
            #expect(try await api.ok("DELETE", "/api/metalakes/ml/catalogs/pg/schemas/sales?cascade=true")["dropped"] as? Bool == true)
            #expect(try server.psql("SELECT count(*) FROM pg_namespace WHERE nspname = 'sales'", database: database).trimmingCharacters(in: .whitespacesAndNewlines) == "0")
            // An unreachable server is a connection failure, not a 500.
            try await api.ok("POST", "/api/metalakes/ml/catalogs", #"{"name":"dead","type":"relational","provider":"jdbc-postgresql","properties":{"jdbc-url":"jdbc:postgresql://127.0.0.1:1/x","jdbc-user":"u","jdbc-password":"p"}}"#)
            try await api.fails("GET", "/api/metalakes/ml/catalogs/dead/schemas", code: 1007, type: "ConnectionFailedException")
        }
    }
}
