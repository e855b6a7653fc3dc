#include <sqlite3.h>

// sqlite3_config is variadic, which Swift cannot call: one fixed-arity wrapper per option used.
static inline int lmsds_sqlite3_config_statement_journal_spill(int bytes) {
  return sqlite3_config(SQLITE_CONFIG_STMTJRNL_SPILL, bytes);
}
