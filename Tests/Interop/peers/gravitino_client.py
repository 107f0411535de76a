"""Drives a Weir catalog server with the real apache-gravitino 1.3.1 Python client, through every operation the
server supports, and checks what comes back. Usage:

    gravitino_client.py URI SCRATCH_DIR [JDBC_URL JDBC_USER]

Prints one line per scenario ("ok <name> <checks>") and exits non-zero with the failing assertion otherwise.
Every name is made unique per run, so the script can run against a server that already holds objects."""

import os
import sys
import uuid

from gravitino import Catalog, GravitinoAdminClient, GravitinoClient, NameIdentifier
from gravitino.namespace import Namespace
from gravitino.api.file.fileset import Fileset
from gravitino.api.file.fileset_change import FilesetChange
from gravitino.api.metalake_change import MetalakeChange
from gravitino.api.catalog_change import CatalogChange
from gravitino.api.model_change import ModelChange
from gravitino.api.model_version_change import ModelVersionChange
from gravitino.api.schema_change import SchemaChange
from gravitino.api.rel.column import Column
from gravitino.api.rel.expressions.distributions.distributions import Distributions
from gravitino.api.rel.expressions.named_reference import NamedReference
from gravitino.api.rel.expressions.sorts.sort_orders import SortOrders
from gravitino.api.rel.expressions.transforms.transforms import Transforms
from gravitino.api.rel.indexes.indexes import Indexes
from gravitino.api.rel.table_change import TableChange
from gravitino.api.rel.types.types import Types
from gravitino.auth.simple_auth_provider import SimpleAuthProvider
from gravitino.exceptions.base import (
    CatalogAlreadyExistsException,
    CatalogInUseException,
    CatalogNotInUseException,
    ConnectionFailedException,
    AlreadyExistsException,
    GravitinoRuntimeException,
    IllegalArgumentException,
    MetalakeAlreadyExistsException,
    MetalakeInUseException,
    ModelAlreadyExistsException,
    ModelVersionAliasesAlreadyExistException,
    NoSuchCatalogException,
    NoSuchFilesetException,
    NoSuchLocationNameException,
    NoSuchMetalakeException,
    NoSuchModelException,
    NoSuchModelVersionException,
    NoSuchModelVersionURINameException,
    NoSuchSchemaException,
    NoSuchTableException,
    NoSuchTagException,
    NonEmptySchemaException,
    NotFoundException,
    SchemaAlreadyExistsException,
    TableAlreadyExistsException,
    TagAlreadyAssociatedException,
    TagAlreadyExistsException,
    UnsupportedOperationException,
)

URI = sys.argv[1]
SCRATCH = sys.argv[2]
JDBC = sys.argv[3:5] if len(sys.argv) >= 5 else None
RUN = uuid.uuid4().hex[:8]


class Checks:
    def __init__(self, name):
        self.name = name
        self.count = 0

    def eq(self, actual, expected, what):
        self.count += 1
        if actual != expected:
            raise AssertionError(f"{self.name}: {what}: expected {expected!r}, got {actual!r}")

    def true(self, value, what):
        self.eq(bool(value), True, what)

    def raises(self, exc, fn, what):
        self.count += 1
        try:
            fn()
        except exc:
            return
        except Exception as other:  # noqa: BLE001
            raise AssertionError(f"{self.name}: {what}: expected {exc.__name__}, got {type(other).__name__}: {other}") from other
        raise AssertionError(f"{self.name}: {what}: expected {exc.__name__}, nothing was raised")

    def done(self):
        print(f"ok {self.name} {self.count}", flush=True)


def admin():
    return GravitinoAdminClient(uri=URI)


def new_metalake(prefix, user=None):
    name = f"{prefix}_{RUN}"
    admin().create_metalake(name, comment=f"{prefix} metalake", properties={})
    auth = SimpleAuthProvider() if user else None
    if user:
        os.environ["GRAVITINO_USER"] = user
    return name, GravitinoClient(uri=URI, metalake_name=name, auth_data_provider=auth)


def metalakes():
    c = Checks("metalakes")
    a = admin()
    name = f"ml_{RUN}"
    created = a.create_metalake(name, comment="first", properties={"k1": "v1"})
    c.eq(created.name(), name, "created name")
    c.eq(created.properties(), {"k1": "v1"}, "create echoes properties exactly")
    c.eq(created.audit_info().creator(), "anonymous", "creator without auth")
    loaded = a.load_metalake(name)
    c.eq(loaded.properties(), {"k1": "v1", "in-use": "true"}, "load adds in-use")
    c.true(name in [m.name() for m in a.list_metalakes()], "listed")
    c.raises(MetalakeAlreadyExistsException, lambda: a.create_metalake(name, comment="", properties={}), "duplicate")
    c.raises(NoSuchMetalakeException, lambda: a.load_metalake(f"nope_{RUN}"), "missing")
    altered = a.alter_metalake(name, MetalakeChange.rename(name + "_r"), MetalakeChange.update_comment("second"),
                               MetalakeChange.set_property("k2", "v2"), MetalakeChange.remove_property("k1"))
    c.eq((altered.name(), altered.comment()), (name + "_r", "second"), "renamed and commented")
    c.eq(altered.properties().get("k2"), "v2", "set property")
    c.true("k1" not in altered.properties(), "removed property")
    c.raises(MetalakeInUseException, lambda: a.drop_metalake(name + "_r"), "drop in use")
    a.disable_metalake(name + "_r")
    c.eq(a.load_metalake(name + "_r").properties().get("in-use"), "false", "disabled")
    a.enable_metalake(name + "_r")
    c.eq(a.drop_metalake(name + "_r", force=True), True, "drop with force")
    c.eq(a.drop_metalake(name + "_r", force=True), False, "drop of absent")
    c.done()


def fileset_catalogs():
    c = Checks("fileset catalogs, schemas and filesets")
    ml, client = new_metalake("fs")
    root = os.path.join(SCRATCH, f"fs_{RUN}")
    cat_name = "files"
    catalog = client.create_catalog(cat_name, Catalog.Type.FILESET, "hadoop", "files", {"location": root})
    c.eq(catalog.provider(), "fileset", "hadoop becomes fileset")
    c.eq(client.load_catalog(cat_name).properties(), {"location": root, "in-use": "true"}, "catalog properties")
    c.eq(client.list_catalogs(), [cat_name], "list catalogs")
    c.eq([x.name() for x in client.list_catalogs_info()], [cat_name], "list catalog infos")
    c.raises(CatalogAlreadyExistsException, lambda: client.create_catalog(cat_name, Catalog.Type.FILESET, "", "", {}), "duplicate catalog")
    c.raises(NoSuchCatalogException, lambda: client.load_catalog("nope"), "missing catalog")
    client.alter_catalog(cat_name, CatalogChange.set_property("k", "v"), CatalogChange.update_comment("c2"))
    c.eq(client.load_catalog(cat_name).comment(), "c2", "altered catalog")
    schemas = catalog.as_schemas()
    schemas.create_schema("s1", "schema one", {"p": "1"})
    c.eq(schemas.load_schema("s1").properties(), {"p": "1"}, "schema properties echoed")
    c.eq(schemas.list_schemas(), ["s1"], "list schemas")
    c.raises(SchemaAlreadyExistsException, lambda: schemas.create_schema("s1", "", {}), "duplicate schema")
    c.raises(NoSuchSchemaException, lambda: schemas.load_schema("nope"), "missing schema")
    schemas.alter_schema("s1", SchemaChange.set_property("q", "2"), SchemaChange.remove_property("p"))
    c.eq(schemas.load_schema("s1").properties(), {"q": "2"}, "altered schema")
    files = catalog.as_fileset_catalog()
    ident = NameIdentifier.of("s1", "managed")
    made = files.create_fileset(ident, "managed one", Fileset.Type.MANAGED, None, {"k": "v"})
    location = f"file:{root}/s1/managed"
    c.eq(made.storage_location(), location, "managed location from the catalog")
    c.eq(made.properties(), {"default-location-name": "unknown", "k": "v"}, "fileset properties")
    c.true(os.path.isdir(os.path.join(root, "s1", "managed")), "managed directory created")
    c.eq(files.get_file_location(ident, "/test/test.txt"), location + "/test/test.txt", "file location")
    c.eq(files.get_file_location(ident, ""), location, "root location")
    c.raises(IllegalArgumentException, lambda: files.get_file_location(ident, "/../../etc/passwd"), "escaping sub-path")
    c.raises(AlreadyExistsException, lambda: files.create_fileset(ident, "", Fileset.Type.MANAGED, None, {}), "duplicate fileset")
    c.raises(NoSuchFilesetException, lambda: files.load_fileset(NameIdentifier.of("s1", "nope")), "missing fileset")
    ext = os.path.join(SCRATCH, f"ext_{RUN}")
    multi = files.create_multiple_location_fileset(
        NameIdentifier.of("s1", "multi"), "two places", Fileset.Type.EXTERNAL,
        {"hot": ext + "/hot", "cold": "s3a://bucket/cold"}, {"default-location-name": "hot"})
    c.eq(multi.storage_locations(), {"unknown": f"file:{root}/s1/multi", "hot": f"file:{ext}/hot", "cold": "s3a://bucket/cold"}, "multi locations")
    c.eq(files.get_file_location(NameIdentifier.of("s1", "multi"), "a/b"), f"file:{ext}/hot/a/b", "default location name")
    c.eq(files.get_file_location(NameIdentifier.of("s1", "multi"), "/a", "cold"), "s3a://bucket/cold/a", "named location")
    c.raises(NoSuchLocationNameException, lambda: files.get_file_location(NameIdentifier.of("s1", "multi"), "/a", "warm"), "unknown location name")
    c.eq(sorted(i.name() for i in files.list_filesets(ident.namespace())), ["managed", "multi"], "list filesets")
    altered = files.alter_fileset(ident, FilesetChange.rename("managed2"), FilesetChange.set_property("k2", "v2"), FilesetChange.remove_comment())
    c.eq((altered.name(), altered.comment(), altered.properties().get("k2")), ("managed2", None, "v2"), "altered fileset")
    c.eq(files.drop_fileset(NameIdentifier.of("s1", "managed2")), True, "drop fileset")
    c.true(not os.path.exists(os.path.join(root, "s1", "managed")), "managed directory removed")
    c.eq(files.drop_fileset(NameIdentifier.of("s1", "managed2")), False, "drop absent fileset")
    c.raises(NonEmptySchemaException, lambda: schemas.drop_schema("s1", False), "non-empty schema")
    c.eq(schemas.drop_schema("s1", True), True, "cascade")
    c.raises(CatalogInUseException, lambda: client.drop_catalog(cat_name), "drop catalog in use")
    client.disable_catalog(cat_name)
    c.raises(CatalogNotInUseException, lambda: client.load_catalog(cat_name).as_schemas().list_schemas(), "disabled catalog")
    c.eq(client.drop_catalog(cat_name), True, "drop disabled catalog")
    admin().drop_metalake(ml, force=True)
    c.done()


def gvfs():
    c = Checks("gvfs")
    from gravitino.filesystem import gvfs as gvfs_module

    ml, client = new_metalake("gvfs")
    root = os.path.join(SCRATCH, f"gvfs_{RUN}")
    catalog = client.create_catalog("files", Catalog.Type.FILESET, "", "", {"location": root})
    catalog.as_schemas().create_schema("s", "", {})
    catalog.as_fileset_catalog().create_fileset(NameIdentifier.of("s", "data"), "", Fileset.Type.MANAGED, None, {})
    fs = gvfs_module.GravitinoVirtualFileSystem(server_uri=URI, metalake_name=ml, options={"auth_type": "simple"})
    base = "gvfs://fileset/files/s/data"
    fs.mkdir(base + "/dir")
    with fs.open(base + "/dir/hello.txt", "wb") as f:
        f.write(b"hello weir")
    c.eq(fs.cat_file(base + "/dir/hello.txt"), b"hello weir", "read back")
    c.true(os.path.isfile(os.path.join(root, "s", "data", "dir", "hello.txt")), "file on local storage")
    c.eq([e["name"] for e in fs.ls(base + "/dir", detail=True)], ["fileset/files/s/data/dir/hello.txt"], "ls")
    c.eq(fs.info(base + "/dir/hello.txt")["size"], 10, "info")
    fs.mv(base + "/dir/hello.txt", base + "/dir/moved.txt")
    c.true(fs.exists(base + "/dir/moved.txt") and not fs.exists(base + "/dir/hello.txt"), "mv")
    fs.rm(base + "/dir/moved.txt")
    c.true(not fs.exists(base + "/dir/moved.txt"), "rm")
    admin().drop_metalake(ml, force=True)
    c.done()


def relational():
    c = Checks("relational tables")
    ml, client = new_metalake("rel")
    catalog = client.create_catalog("hive", Catalog.Type.RELATIONAL, "hive", "", {"metastore.uris": "thrift://127.0.0.1:9083"})
    c.eq(catalog.properties().get("weir.metadata-only"), "true", "metadata-only provider says so")
    catalog.as_schemas().create_schema("db", "", {})
    tables = catalog.as_table_catalog()
    ident = NameIdentifier.of("db", "events")
    columns = [
        Column.of("id", Types.LongType.get(), "key", nullable=False, auto_increment=True),
        Column.of("name", Types.VarCharType.of(32), "name"),
        Column.of("price", Types.DecimalType.of(10, 2), None),
        Column.of("day", Types.DateType.get(), None),
        Column.of("tags", Types.ListType.of(Types.StringType.get(), True), None),
    ]
    table = tables.create_table(
        ident, columns, "events table", {"bucket": "4", "owner": "x"},
        [Transforms.identity("day"), Transforms.bucket(8, ["id"])],
        Distributions.hash(4, NamedReference.field(["id"])),
        [SortOrders.descending(NamedReference.field(["id"]))],
        [Indexes.primary("pk", [["id"]])],
    )
    c.eq(table.properties(), {"bucket": "4", "owner": "x"}, "table properties echoed")
    loaded = tables.load_table(ident)
    c.eq([col.name() for col in loaded.columns()], ["id", "name", "price", "day", "tags"], "columns")
    c.eq(loaded.columns()[1].data_type(), Types.VarCharType.of(32), "varchar type")
    c.eq(loaded.columns()[2].data_type(), Types.DecimalType.of(10, 2), "decimal type")
    c.eq((loaded.columns()[0].nullable(), loaded.columns()[0].auto_increment()), (False, True), "nullability and auto-increment")
    c.eq(len(loaded.partitioning()), 2, "partitioning")
    c.eq(loaded.distribution().number(), 4, "distribution")
    c.eq(len(loaded.sort_order()), 1, "sort orders")
    c.eq(loaded.index()[0].name(), "pk", "index")
    c.true(tables.table_exists(ident), "exists")
    c.eq([i.name() for i in tables.list_tables(ident.namespace())], ["events"], "list tables")
    c.raises(TableAlreadyExistsException, lambda: tables.create_table(ident, columns), "duplicate table")
    c.raises(NoSuchTableException, lambda: tables.load_table(NameIdentifier.of("db", "nope")), "missing table")
    c.raises(NoSuchSchemaException, lambda: tables.create_table(NameIdentifier.of("nope", "t"), columns), "missing schema")
    altered = tables.alter_table(ident, TableChange.update_comment("new"), TableChange.set_property("k", "v"), TableChange.remove_property("owner"),
                                 TableChange.add_column(["extra"], Types.IntegerType.get(), "added", TableChange.ColumnPosition.default_pos()))
    c.eq((altered.comment(), altered.properties()), ("new", {"bucket": "4", "k": "v"}), "altered table")
    c.eq(altered.columns()[-1].name(), "extra", "added column")
    c.eq(tables.purge_table(ident), True, "purge")
    c.eq(tables.drop_table(ident), False, "drop absent")
    c.true(not tables.table_exists(ident), "gone")
    admin().drop_metalake(ml, force=True)
    c.done()


def models():
    c = Checks("models and versions")
    ml, client = new_metalake("mdl")
    catalog = client.create_catalog("models", Catalog.Type.MODEL, None, "", {})
    c.eq(catalog.provider(), "model", "model provider")
    catalog.as_schemas().create_schema("s", "", {})
    models = catalog.as_model_catalog()
    ident = NameIdentifier.of("s", "llm")
    model = models.register_model(ident, "a model", {"k": "v"})
    c.eq(model.latest_version(), 0, "latest version starts at 0")
    c.raises(ModelAlreadyExistsException, lambda: models.register_model(ident, None, None), "duplicate model")
    c.raises(NoSuchModelException, lambda: models.get_model(NameIdentifier.of("nope", "llm")), "model of missing schema")
    models.link_model_version(ident, "s3://bucket/v0", ["first"], "v0", {})
    models.link_model_version_with_multiple_uris(ident, {"unknown": "s3://bucket/v1", "hf": "hf://org/v1"}, ["latest", "prod"], "v1",
                                                 {"default-uri-name": "hf"})
    c.raises(ModelVersionAliasesAlreadyExistException, lambda: models.link_model_version(ident, "s3://b/x", ["prod"], None, None), "alias taken")
    c.eq(models.list_model_versions(ident), [0, 1], "versions")
    v1 = models.get_model_version_by_alias(ident, "prod")
    c.eq((v1.version(), sorted(v1.aliases()), v1.uris()), (1, ["latest", "prod"], {"unknown": "s3://bucket/v1", "hf": "hf://org/v1"}), "version by alias")
    c.eq(models.get_model_version_uri(ident, 1), "hf://org/v1", "default uri name")
    c.eq(models.get_model_version_uri_by_alias(ident, "prod", "unknown"), "s3://bucket/v1", "named uri")
    c.raises(NoSuchModelVersionURINameException, lambda: models.get_model_version_uri(ident, 1, "nope"), "unknown uri name")
    c.raises(NoSuchModelVersionException, lambda: models.get_model_version(ident, 7), "missing version")
    changed = models.alter_model_version(ident, 0, ModelVersionChange.update_aliases(["v0"], ["first"]),
                                         ModelVersionChange.add_uri("mirror", "gs://m/v0"), ModelVersionChange.update_comment("zero"))
    c.eq((sorted(changed.aliases()), changed.comment(), changed.uris().get("mirror")), (["v0"], "zero", "gs://m/v0"), "altered version")
    c.eq(len(models.list_model_version_infos(ident)), 2, "version infos")
    c.eq(models.delete_model_version(ident, 0), True, "delete version")
    models.link_model_version(ident, "s3://bucket/v2", [], None, None)
    c.eq(models.list_model_versions(ident), [1, 2], "numbers never reused")
    renamed = models.alter_model(ident, ModelChange.rename("llm2"), ModelChange.set_property("k2", "v2"))
    c.eq((renamed.name(), renamed.latest_version()), ("llm2", 3), "renamed model keeps versions")
    c.eq(models.delete_model_version_by_alias(NameIdentifier.of("s", "llm2"), "prod"), True, "delete by alias")
    c.eq(models.delete_model(NameIdentifier.of("s", "llm2")), True, "delete model")
    c.eq(models.delete_model(NameIdentifier.of("s", "llm2")), False, "delete absent model")
    admin().drop_metalake(ml, force=True)
    c.done()


def tags():
    c = Checks("tags")
    ml, client = new_metalake("tag")
    for name in ("gold", "pii"):
        client.create_tag(name, f"{name} tag", {"level": name})
    c.raises(TagAlreadyExistsException, lambda: client.create_tag("gold", "", {}), "duplicate tag")
    c.eq(sorted(client.list_tags()), ["gold", "pii"], "list tags")
    c.eq(client.get_tag("pii").properties(), {"level": "pii"}, "get tag")
    c.raises(NoSuchTagException, lambda: client.get_tag("nope"), "missing tag")
    catalog = client.create_catalog("rel", Catalog.Type.RELATIONAL, "hive", "", {"metastore.uris": "thrift://x:9083"})
    catalog.as_schemas().create_schema("s", "", {})
    table = catalog.as_table_catalog().create_table(NameIdentifier.of("s", "t"), [Column.of("id", Types.LongType.get(), None)])
    c.eq(sorted(catalog.supports_tags().associate_tags(["gold"], [])), ["gold"], "catalog tags")
    c.raises(TagAlreadyAssociatedException, lambda: catalog.supports_tags().associate_tags(["gold"], []), "already associated")
    table_tags = table.supports_tags()
    c.eq(table_tags.associate_tags(["pii"], []), ["pii"], "table tags")
    c.eq(sorted(table_tags.list_tags()), ["gold", "pii"], "inherited tags listed")
    infos = {t.name(): t.inherited() for t in table_tags.list_tags_info()}
    c.eq(infos, {"gold": True, "pii": False}, "inherited flags")
    c.eq(table_tags.get_tag("gold").inherited(), True, "get inherited tag")
    column_tags = table.columns()[0].supports_tags()
    c.eq(column_tags.associate_tags(["pii"], []), ["pii"], "column tags")
    c.raises(NotFoundException, lambda: catalog.supports_tags().associate_tags(["nope"], []), "unknown tag")
    objects = sorted((o.type().value if hasattr(o.type(), "value") else str(o.type()), o.name()) for o in client.get_tag("pii").associated_objects().objects())
    c.eq(len(objects), 2, "objects of a tag")
    c.eq(catalog.supports_tags().associate_tags([], ["gold"]), [], "dissociate")
    c.eq(client.delete_tag("pii"), True, "delete tag")
    c.eq(table_tags.list_tags(), [], "associations go with the tag")
    admin().drop_metalake(ml, force=True)
    c.done()


def simple_auth():
    c = Checks("simple auth")
    os.environ["GRAVITINO_USER"] = "weir-tester"
    client_admin = GravitinoAdminClient(uri=URI, auth_data_provider=SimpleAuthProvider())
    name = f"auth_{RUN}"
    ml = client_admin.create_metalake(name, comment="", properties={})
    c.eq(ml.audit_info().creator(), "weir-tester", "metalake creator")
    client = GravitinoClient(uri=URI, metalake_name=name, auth_data_provider=SimpleAuthProvider())
    catalog = client.create_catalog("m", Catalog.Type.MODEL, "model", "", {})
    c.eq(catalog.audit_info().creator(), "weir-tester", "catalog creator")
    schema = catalog.as_schemas().create_schema("s", "", {})
    c.eq(schema.audit_info().creator(), "weir-tester", "schema creator")
    os.environ["GRAVITINO_USER"] = "other"
    client2 = GravitinoClient(uri=URI, metalake_name=name, auth_data_provider=SimpleAuthProvider())
    client2.alter_catalog("m", CatalogChange.set_property("a", "b"))
    audit = client2.load_catalog("m").audit_info()
    c.eq((audit.creator(), audit.last_modifier()), ("weir-tester", "other"), "modifier recorded")
    client_admin.drop_metalake(name, force=True)
    c.done()


def jdbc_postgresql():
    c = Checks("jdbc-postgresql")
    url, user = JDBC
    ml, client = new_metalake("pg")
    catalog = client.create_catalog("pg", Catalog.Type.RELATIONAL, "jdbc-postgresql", "", {
        "jdbc-url": url, "jdbc-user": user, "jdbc-password": "", "jdbc-driver": "org.postgresql.Driver", "jdbc-database": url.rsplit("/", 1)[1]})
    schema = f"py_{RUN}"
    catalog.as_schemas().create_schema(schema, "made by python", {})
    c.true(schema in catalog.as_schemas().list_schemas(), "schema listed from PostgreSQL")
    tables = catalog.as_table_catalog()
    ident = NameIdentifier.of(schema, "items")
    tables.create_table(ident, [Column.of("id", Types.IntegerType.get(), "key", nullable=False), Column.of("label", Types.StringType.get(), None)],
                        "items", {"team": "a"})
    loaded = tables.load_table(ident)
    c.eq([(col.name(), col.data_type()) for col in loaded.columns()], [("id", Types.IntegerType.get()), ("label", Types.StringType.get())], "types back")
    c.eq(loaded.properties(), {"team": "a"}, "properties kept")
    c.eq(tables.drop_table(ident), True, "drop")
    c.eq(catalog.as_schemas().drop_schema(schema, True), True, "drop schema")
    client.create_catalog("dead", Catalog.Type.RELATIONAL, "jdbc-postgresql", "", {"jdbc-url": "jdbc:postgresql://127.0.0.1:1/x", "jdbc-user": "u"})
    c.raises(ConnectionFailedException, lambda: client.load_catalog("dead").as_schemas().list_schemas(), "unreachable server")
    admin().drop_metalake(ml, force=True)
    c.done()


def errors():
    c = Checks("errors")
    c.raises(GravitinoRuntimeException, lambda: GravitinoClient(uri=URI, metalake_name=f"nope_{RUN}"), "client for a missing metalake")
    ml, client = new_metalake("err")
    c.raises(IllegalArgumentException, lambda: client.create_catalog("bad/name", Catalog.Type.MODEL, "", "", {}), "name with a slash")
    c.raises(IllegalArgumentException, lambda: client.create_catalog("r", Catalog.Type.RELATIONAL, "jdbc-postgresql", "", {}), "jdbc catalog without jdbc-url")
    admin().drop_metalake(ml, force=True)
    c.done()


def lakehouse_paimon():
    """A lakehouse-paimon catalog over SCRATCH/paimon-wh, where the test put a table written by pypaimon
    (db.from_pypaimon): it is listed and loaded with its real schema; a table created here is a real Paimon table
    (the test then writes rows into it with Weir and reads them with pypaimon); purge removes the data."""
    c = Checks("lakehouse-paimon")
    ml, client = new_metalake("pmn")
    warehouse = os.path.join(SCRATCH, "paimon-wh")
    catalog = client.create_catalog("paimon", Catalog.Type.RELATIONAL, "lakehouse-paimon", "", {"catalog-backend": "filesystem", "warehouse": warehouse})
    c.eq(catalog.properties().get("weir.metadata-only"), None, "lakehouse-paimon is served by the table engine")
    schemas = catalog.as_schemas()
    c.eq(schemas.list_schemas(), ["db"], "the warehouse's databases are the schemas")
    tables = catalog.as_table_catalog()
    c.eq([i.name() for i in tables.list_tables(Namespace.of("db"))], ["from_pypaimon"], "pypaimon's table is listed")
    theirs = tables.load_table(NameIdentifier.of("db", "from_pypaimon"))
    c.eq([(col.name(), col.data_type(), col.nullable()) for col in theirs.columns()],
         [("id", Types.LongType.get(), False), ("name", Types.StringType.get(), True), ("score", Types.DoubleType.get(), True)],
         "pypaimon's schema, loaded")
    c.eq(theirs.index()[0].field_names(), [["id"]], "its primary key")
    c.eq(theirs.distribution().number(), 2, "its buckets")
    ident = NameIdentifier.of("db", "events")
    columns = [
        Column.of("id", Types.LongType.get(), "key", nullable=False),
        Column.of("name", Types.VarCharType.of(32), "name"),
        Column.of("price", Types.DecimalType.of(10, 2), None),
        Column.of("day", Types.StringType.get(), None, nullable=False),
    ]
    tables.create_table(ident, columns, "events table", {"merge-engine": "deduplicate"},
                        [Transforms.identity("day")], Distributions.hash(2, NamedReference.field(["id"])), [],
                        [Indexes.primary("pk", [["id"], ["day"]])])
    c.true(os.path.isfile(os.path.join(warehouse, "db.db", "events", "schema", "schema-0")), "a real Paimon table: schema/schema-0")
    loaded = tables.load_table(ident)
    c.eq([col.name() for col in loaded.columns()], ["id", "name", "price", "day"], "columns")
    c.eq(loaded.columns()[2].data_type(), Types.DecimalType.of(10, 2), "decimal")
    c.eq((loaded.properties().get("bucket"), loaded.properties().get("merge-engine")), ("2", "deduplicate"), "buckets and options")
    c.eq(len(loaded.partitioning()), 1, "identity partition on day")
    altered = tables.alter_table(ident, TableChange.add_column(["qty"], Types.IntegerType.get(), "added", TableChange.ColumnPosition.default_pos()),
                                 TableChange.set_property("snapshot.num-retained.min", "3"))
    c.eq(altered.columns()[-1].name(), "qty", "added column")
    c.true(os.path.isfile(os.path.join(warehouse, "db.db", "events", "schema", "schema-1")), "the alter wrote schema-1")
    c.raises(UnsupportedOperationException, lambda: tables.create_table(NameIdentifier.of("db", "bad"), columns, "", {},
                                                                       [Transforms.bucket(4, ["id"])]), "bucket partitioning is not Paimon")
    tables.create_table(NameIdentifier.of("db", "gone"), columns[:1], "", {})
    c.eq(tables.purge_table(NameIdentifier.of("db", "gone")), True, "purge")
    c.true(not os.path.exists(os.path.join(warehouse, "db.db", "gone")), "purge removed the data")
    c.done()


SCENARIOS = [metalakes, fileset_catalogs, gvfs, relational, models, tags, simple_auth, errors, lakehouse_paimon]
if JDBC:
    SCENARIOS.append(jdbc_postgresql)
for scenario in SCENARIOS:
    scenario()
