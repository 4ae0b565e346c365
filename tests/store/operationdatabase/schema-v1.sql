-- The store's first schema (version 1), as TeamsOps 0.1 wrote it, with one failed clone and
-- its two observed changes. Never edit: later versions must open this file as it is.
CREATE TABLE operations ( id INTEGER PRIMARY KEY, key TEXT NOT NULL UNIQUE, team_id TEXT NOT NULL, operation_id TEXT NOT NULL, url TEXT NOT NULL, location TEXT NOT NULL, added_at INTEGER, watch TEXT NOT NULL, has_snapshot INTEGER NOT NULL DEFAULT 0, snapshot_id TEXT, type TEXT, status TEXT, created_at INTEGER, last_action_at INTEGER, attempts INTEGER, target_id TEXT, target_location TEXT, error_code TEXT, error_message TEXT, last_reply BLOB, next_poll_at INTEGER, last_sent_at INTEGER, last_polled_at INTEGER, last_changed_at INTEGER, polls INTEGER NOT NULL DEFAULT 0, consecutive_failures INTEGER NOT NULL DEFAULT 0, consecutive_not_found INTEGER NOT NULL DEFAULT 0, first_not_found_at INTEGER, last_failure TEXT, last_failure_message TEXT);
CREATE TABLE history ( id INTEGER PRIMARY KEY, operation_id INTEGER NOT NULL  REFERENCES operations(id) ON DELETE CASCADE, seen_at INTEGER NOT NULL, status TEXT NOT NULL, attempts INTEGER NOT NULL, error_code TEXT, error_message TEXT, target_location TEXT);
CREATE INDEX history_by_operation ON history(operation_id, id);
CREATE TABLE state (name TEXT PRIMARY KEY, value TEXT NOT NULL);
INSERT INTO operations VALUES(1,'team-a/op-1','Team-A','Op-1','https://graph.microsoft.com/v1.0/teams/Team-A/operations/Op-1','/teams(''Team-A'')/operations(''Op-1'')',1795597200000,'active',1,'Op-1','cloneTeam','failed',1795597140000,1795597290000,3,'','','InternalServerError','The clone failed.',X'7B226964223A224F702D31222C22737461747573223A226661696C6564227D',NULL,1795597300000,1795597301000,1795597295000,7,0,0,NULL,'none','');
INSERT INTO history VALUES(1,1,1795597200000,'inProgress',1,NULL,NULL,'');
INSERT INTO history VALUES(2,1,1795597295000,'failed',3,'InternalServerError','The clone failed.','');
INSERT INTO state VALUES('pace','{"rate":25,"rateAtLastCut":0}');
PRAGMA user_version=1;
