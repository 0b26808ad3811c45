"""`smstui store`: creating, upgrading and copying stores."""

STRINGS: dict[str, tuple[str, str]] = {
    "command.store": ("create or upgrade a store, or copy one into another (SQLite ↔ PostgreSQL)",
                      "创建或升级本地数据库，或在数据库之间复制（SQLite ↔ PostgreSQL）"),
    "store.action.help": ("migrate or copy", "migrate（创建或升级）或 copy（复制）"),
    "store.migrate.help": ("create the store's tables, or bring them to this version of smstui",
                           "创建数据库的表，或升级到当前 smstui 版本"),
    "store.copy.help": ("copy every row of one store into another, ids kept; run again, nothing is copied twice",
                        "将一个数据库的所有记录复制到另一个（保留编号）；重复运行不会重复复制"),
    "help.store_location": ("the store: a SQLite file or postgresql://user@host/db (default: the config's)",
                            "数据库：SQLite 文件或 postgresql://user@host/db（默认：配置中的）"),
    "help.store_from": ("the store to copy from (a SQLite file or a postgresql:// URL)",
                        "复制来源（SQLite 文件或 postgresql:// 地址）"),
    "help.store_to": ("the store to copy into (created or upgraded first)", "复制目标（先创建或升级）"),
    "store.migrated": ("{store}: schema {version}, up to date", "{store}：表结构版本 {version}，已是最新"),
    "store.same": ("FROM and TO name the same store", "复制来源与目标是同一个数据库"),
    "store.copied": ("copied {rows} rows from {source} to {target} ({tables})",
                     "已从 {source} 复制 {rows} 条记录到 {target}（{tables}）"),
}
