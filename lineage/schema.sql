-- placeholder; see lineage/store.c
PRAGMA user_version = 0;
